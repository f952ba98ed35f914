"""Reminders, performed: the sweep owed them; this posts them where the owners will see them.

Step reminders go to the incident's channel, under the checklist; the overdue mark and
escalations are also broadcast to the channel. An escalation and an idle nudge reach the
commander by DM. A reminder whose step was finished or reopened since it was owed is dropped:
it would remind of a due time that no longer holds.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock

from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.playbook import COMMANDER, StepSpec
from leakbot.services.deps import Deps
from leakbot.services.effects import ReminderPost
from leakbot.services.outbox import Result, Retry
from leakbot.services.reminders import DEADLINE_SOON, ESCALATE, IDLE, OVERDUE
from leakbot.slack.blocks.common import Message, button, owner_words, section, step_value
from leakbot.slack.blocks.messages import reminder_message
from leakbot.slack.errors import outbox_errors
from leakbot.slack.ids import Action
from leakbot.slack.posting import Once, post_once
from leakbot.slack.text import mention, user_text, when

log = logging.getLogger(__name__)

#: Kinds also shown in the channel itself, not only in the checklist's thread.
BROADCAST = (ESCALATE, OVERDUE)


def owner_mentions(deps: Deps, incident: Incident, spec: StepSpec) -> str:
    """The step's owners as Slack mentions: people as ``<@U…>``, user groups as
    ``<!subteam^S…>`` (Slack notifies the group's members), the commander by name."""
    if spec.owner == COMMANDER:
        return mention(incident.commander)
    members = deps.config.roles.get(spec.owner, ())
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
    incident: Incident, spec: StepSpec, kind: str, due_at: datetime, deps: Deps
) -> Message:
    """The message for one step reminder of ``kind``, naming its owners."""
    title = user_text(spec.title, 200)
    if kind == DEADLINE_SOON:
        text = (
            f":hourglass_flowing_sand: *Due soon:* *{title}* in {incident.ref} is due "
            f"{when(due_at, deps.tz)}. Owner: {owner_words(spec)}."
        )
        message = Message(
            text=f"A step of {incident.ref} is due soon",
            blocks=[section(text, "reminder"), _controls(incident, spec)],
        )
    elif kind == OVERDUE:
        text = (
            f":warning: *Overdue:* *{title}* in {incident.ref} was due {when(due_at, deps.tz)} "
            f"and is not done yet. Owner: {owner_words(spec)}."
        )
        message = Message(
            text=f"A step of {incident.ref} is overdue",
            blocks=[section(text, "reminder"), _controls(incident, spec)],
        )
    else:
        message = reminder_message(incident, spec, due_at, deps.tz, escalation=kind == ESCALATE)
    return _with_owners(message, owner_mentions(deps, incident, spec))


def idle_notice(incident: Incident, since: datetime, channel: str, deps: Deps) -> Message:
    ready = sum(1 for s in incident.steps.values() if s.status is StepStatus.READY)
    text = (
        f":zzz: Nothing has happened in {incident.ref} (<#{channel}>) since "
        f"{when(since, deps.tz)}. {ready} step(s) wait to be done; "
        f"`/leak status {incident.ref}` shows where it stands."
    )
    return Message(text=f"{incident.ref} has been quiet", blocks=[section(text, "idle")])


def _dm(client: WebClient, user: str, message: Message, once: Once) -> str:
    dm = client.conversations_open(users=user)["channel"]["id"]
    return post_once(client, once, channel=dm, **message.as_kwargs())


def perform_reminder(
    client: WebClient, deps: Deps, payload: ReminderPost, once: Once | None = None
) -> Result:
    """Post one owed reminder (an ``Effect.REMIND`` outbox item's payload), once.

    Raises ``Retry`` while the incident has no channel yet. Returns what was posted, or why
    nothing was.
    """
    once = once or Once(f"reminder:{payload.get('number')}", False, deps.clock.now())
    with deps.read() as uow:
        incident = uow.incidents.get(int(payload["number"]))
        assert incident.id is not None
        links = uow.incidents.links(incident.id)
    kind = str(payload["kind"])
    if not incident.is_open:
        return {"skipped": "the incident is closed"}
    if not links.channel_id:
        raise Retry("the incident channel is not open yet")
    with outbox_errors():
        if kind == IDLE:
            since = (
                datetime.fromisoformat(str(payload["since"]))
                if payload.get("since")
                else datetime.fromisoformat(str(payload["slot_at"]))
                - timedelta(seconds=incident.playbook.idle_after_seconds)
            )
            message = idle_notice(incident, since, links.channel_id, deps)
            return {"dm": _dm(client, incident.commander, message, once.part("dm"))}
        step_id = str(payload["step_id"])
        state = incident.steps.get(step_id)
        due_text = payload.get("due_at")
        if state is None or state.status is not StepStatus.READY or state.due_at is None:
            return {"skipped": "the step is no longer waiting"}
        if due_text and datetime.fromisoformat(str(due_text)) != state.due_at:
            return {"skipped": "the step has a new due time"}
        spec = incident.playbook.step(step_id)
        message = step_notice(incident, spec, kind, state.due_at, deps)
        thread: dict[str, Any] = {}
        if links.checklist_ts:
            thread = {"thread_ts": links.checklist_ts, "reply_broadcast": kind in BROADCAST}
        ts = post_once(
            client, once.part("post"), channel=links.channel_id, **message.as_kwargs(), **thread
        )
        result: dict[str, Any] = {"ts": ts}
        if kind == ESCALATE:
            result["dm"] = _dm(client, incident.commander, message, once.part("dm"))
        log.info("%s: %s reminder posted for step %s", incident.ref, kind, step_id)
        return result
