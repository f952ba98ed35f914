"""The posts that remind: a step due soon, overdue, reminded or escalated (naming its owners),
and the nudge about an incident where nothing has happened for a while."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock

from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.playbook import COMMANDER, StepSpec
from leakbot.services.reminder_sweep import DEADLINE_SOON, ESCALATE, OVERDUE
from leakbot.slack.blocks.common import Message, button, owner_words, section, step_value
from leakbot.slack.blocks.messages import reminder_message
from leakbot.slack.ids import Action
from leakbot.slack.text import mention, user_text, when


def owner_mentions(roles: Mapping[str, Sequence[str]], incident: Incident, spec: StepSpec) -> str:
    """The step's owners as Slack mentions: people as ``<@U…>``, user groups as
    ``<!subteam^S…>`` (Slack notifies the group's members), the commander by name."""
    if spec.owner == COMMANDER:
        return mention(incident.commander)
    members = roles.get(spec.owner, ())
    found = [f"<!subteam^{m}>" if m.startswith("S") else mention(m) for m in members]
    return " ".join(found) or mention(incident.commander)


def _with_owners(message: Message, owners: str) -> Message:
    return Message(
        text=f"{message.text} · {owners}",
        blocks=[*message.blocks[:1], section(f"For {owners}", "remind:who"), *message.blocks[1:]],
    )


def _controls(incident: Incident, spec: StepSpec) -> ActionsBlock:
    return ActionsBlock(
        block_id="remind",
        elements=[
            button("Complete", Action.COMPLETE_STEP, step_value(incident, spec.id), "primary")
        ],
    )


def step_notice(
    incident: Incident,
    spec: StepSpec,
    kind: str,
    due_at: datetime,
    tz: ZoneInfo,
    roles: Mapping[str, Sequence[str]],
) -> Message:
    """The message for one step reminder of ``kind``, naming its owners (``roles``: the
    config's people and user groups of each role)."""
    title = user_text(spec.title, 200)
    if kind == DEADLINE_SOON:
        text = (
            f":hourglass_flowing_sand: *Due soon:* *{title}* in {incident.ref} is due "
            f"{when(due_at, tz)}. Owner: {owner_words(spec)}."
        )
        message = Message(
            text=f"A step of {incident.ref} is due soon",
            blocks=[section(text, "reminder"), _controls(incident, spec)],
        )
    elif kind == OVERDUE:
        text = (
            f":warning: *Overdue:* *{title}* in {incident.ref} was due {when(due_at, tz)} "
            f"and is not done yet. Owner: {owner_words(spec)}."
        )
        message = Message(
            text=f"A step of {incident.ref} is overdue",
            blocks=[section(text, "reminder"), _controls(incident, spec)],
        )
    else:
        message = reminder_message(incident, spec, due_at, tz, escalation=kind == ESCALATE)
    return _with_owners(message, owner_mentions(roles, incident, spec))


def idle_notice(incident: Incident, since: datetime, channel: str, tz: ZoneInfo) -> Message:
    ready = sum(1 for s in incident.steps.values() if s.status is StepStatus.READY)
    text = (
        f":zzz: Nothing has happened in {incident.ref} (<#{channel}>) since "
        f"{when(since, tz)}. {ready} step(s) wait to be done; "
        f"`/leak status {incident.ref}` shows where it stands."
    )
    return Message(text=f"{incident.ref} has been quiet", blocks=[section(text, "idle")])
