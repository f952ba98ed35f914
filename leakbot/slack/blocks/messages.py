"""Short messages: help, the list, status, kickoff, the announcement, thread notes, reminders.

Two of them leave the incident's private channel: the announcement and the channel topic (seen
in channel lists). They carry the reference and severity only, never the title, supplier,
asset or addresses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, HeaderBlock, SectionBlock

from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.playbook import StepSpec
from leakbot.services.owed_work import ThreadNote
from leakbot.slack.blocks.common import (
    MAX_FIELD,
    MAX_HEADER,
    MAX_MESSAGE_BLOCKS,
    MAX_TEXT,
    OUTCOME_WORDS,
    Message,
    button,
    context,
    fallback,
    mrkdwn,
    owner_words,
    plain,
    section,
    step_value,
)
from leakbot.slack.ids import Action
from leakbot.slack.text import clip, esc, keep_mentions, mention, slack_len, user_text, when

MAX_TOPIC = 250

HELP = (
    "*`/leak`* runs the response to a leak of confidential material.\n"
    "• `/leak` or `/leak report`: report a leak (opens a form)\n"
    "• `/leak list`: the open incidents\n"
    "• `/leak status [ID]`: where an incident stands\n"
    "• `/leak notices [ID]`: the notices drafted for an incident\n"
    "• `/leak evidence [ID]`: the evidence recorded (legal, security, the commander)\n"
    "• `/leak dossier [ID]`: the dossier zip, to your direct messages (the same people)\n"
    "• `/leak commander @person [ID]`: hand the incident over (its commander only)\n"
    "• `/leak close [ID] <reason>`: close the incident before its end (its commander only)\n"
    "• `/leak help`: this help\n"
    "An ID is written `LEAK-12` or `12`; inside an incident's channel it may be left out."
)


def help_message() -> Message:
    return Message(text="How to use /leak", blocks=[section(HELP, block_id="help")])


def _progress(incident: Incident) -> str:
    done, total = incident.progress()
    return f"{done}/{total} finished"


def incident_list(
    incidents: Sequence[Incident], channels: Mapping[int, str] | None = None
) -> Message:
    """Open incidents by reference, severity and progress, linked to their channel if known."""
    channels = channels or {}
    if not incidents:
        return Message(
            text="No incident is open.", blocks=[section("No incident is open.", "list")]
        )
    lines = []
    for incident in incidents:
        channel = channels.get(incident.number)
        link = f" · <#{channel}>" if channel else ""
        lines.append(
            f"*{incident.ref}* · {esc(incident.facts.severity)} · {_progress(incident)}{link}"
        )
    blocks: list[Block] = [section(f"*Open incidents ({len(incidents)})*", "list")]
    room = MAX_MESSAGE_BLOCKS - 2  # the heading above, a "more" note below
    chunk: list[str] = []
    shown = 0
    for line in lines:
        if slack_len("\n".join([*chunk, line])) > MAX_TEXT:
            if len(blocks) > room:
                break
            blocks.append(section("\n".join(chunk), f"list:{len(blocks)}"))
            shown += len(chunk)
            chunk = []
        chunk.append(line)
    if chunk and len(blocks) <= room:
        blocks.append(section("\n".join(chunk), f"list:{len(blocks)}"))
        shown += len(chunk)
    if shown < len(incidents):
        blocks.append(context(f"{len(incidents) - shown} more not shown.", "list:more"))
    return Message(text=f"{len(incidents)} open incident(s)", blocks=blocks)


def _ready_lines(incident: Incident, tz: ZoneInfo) -> list[str]:
    lines = []
    for spec in incident.playbook.steps:
        state = incident.steps[spec.id]
        if state.status is StepStatus.READY:
            due = f" · due {when(state.due_at, tz)}" if state.due_at else ""
            lines.append(f"• {user_text(spec.title, 200)} · {owner_words(spec)}{due}")
    return lines


def outsider_status(incident: Incident) -> Message:
    """``/leak status`` for someone not in the incident: what ``/leak list`` would show of it
    (reference, severity, progress) and where it stands, open or closed; no title, no facts."""
    state = OUTCOME_WORDS[incident.status]
    line = f"*{incident.ref}* · {state} · {esc(incident.facts.severity)} · {_progress(incident)}"
    text = f"{incident.ref}: {state}, {_progress(incident)}"
    return Message(text=text, blocks=[section(line, "status")])


def status_message(incident: Incident, tz: ZoneInfo, channel_id: str | None = None) -> Message:
    head = f"*{incident.ref}* · {user_text(incident.facts.title, 300)}"
    facts = (
        f"*Status:* {OUTCOME_WORDS[incident.status]} · {_progress(incident)} · "
        f"*Severity:* {esc(incident.facts.severity)} · *Commander:* {mention(incident.commander)}"
        f"\nOpened {when(incident.opened_at, tz)}"
    )
    if channel_id:
        facts += f" · <#{channel_id}>"
    ready = _ready_lines(incident, tz)
    if ready:
        facts += "\n*Ready now:*\n" + "\n".join(ready[:20])
    text = f"{incident.ref}: {OUTCOME_WORDS[incident.status]}, {_progress(incident)}"
    return Message(text=text, blocks=[section(head, "status"), section(facts, "facts")])


def kickoff_message(incident: Incident, supplier_name: str | None, tz: ZoneInfo) -> Message:
    """The first message in the private channel: the facts as reported."""
    f = incident.facts
    where = "\n".join(user_text(url, 500) for url in f.where_seen) or "—"
    discovered = when(f.discovered_at, tz) if f.discovered_at else "—"
    fields = [
        ("What leaked", user_text(f.asset, 500) or "—"),
        ("Severity", esc(f.severity)),
        ("Suspected supplier", esc(supplier_name) if supplier_name else "Unknown"),
        ("Discovered", discovered),
        ("Reported by", mention(incident.reporter)),
        ("Commander", mention(incident.commander)),
        ("Where it appeared", where),
    ]
    blocks: list[Block] = [
        HeaderBlock(block_id="head", text=plain(f"{incident.ref} · {esc(f.title)}", MAX_HEADER)),
        SectionBlock(
            block_id="facts",
            fields=[mrkdwn(f"*{k}*\n{v}", MAX_FIELD) for k, v in fields],
        ),
    ]
    if f.description:
        blocks.append(section(f"*Description*\n{user_text(f.description, 2900)}", "description"))
    blocks.append(
        context(
            f"Playbook: {esc(incident.playbook.name)}. Tick steps off on the checklist below; "
            "this channel is private.",
            "about",
        )
    )
    text = f"{incident.ref} opened: {user_text(f.title, 300)}"
    return Message(text=fallback(text), blocks=blocks)


def announcement(incident: Incident) -> Message:
    """The line for the announce channel: reference, severity and that a channel exists."""
    text = (
        f":rotating_light: *{incident.ref}* opened · severity *{esc(incident.facts.severity)}*. "
        "The response runs in a private channel."
    )
    return Message(
        text=f"{incident.ref} opened (severity {esc(incident.facts.severity)})",
        blocks=[section(text, "announce")],
    )


def channel_topic(incident: Incident) -> str:
    return clip(f"{incident.ref} · severity {incident.facts.severity} · private", MAX_TOPIC)


def _step_title(incident: Incident, step_id: Any) -> str:
    try:
        return user_text(incident.playbook.step(str(step_id)).title, 200)
    except KeyError:
        return esc(str(step_id))


def thread_note(incident: Incident, payload: ThreadNote) -> str:
    """One line under the checklist saying what changed, e.g. ``✅ <@U1> completed *Confirm*``."""
    event = payload.get("event")
    actor = mention(payload.get("actor"))
    title = _step_title(incident, payload.get("step_id"))
    reason = payload.get("reason")
    why = f": {user_text(str(reason), 500)}" if reason else ""
    if event == "completed":
        return f"✅ {actor} completed *{title}*"
    if event == "reopened":
        return f"↩️ {actor} reopened *{title}*{why}"
    if event == "skipped":
        return f"⏭️ {actor} skipped *{title}*{why}"
    if event == "closed":
        outcome = str(payload.get("outcome") or "closed")
        words = "as a false alarm" if outcome == "false_alarm" else "as resolved"
        by = f" by {actor}" if payload.get("actor") else ""
        return f"🏁 {incident.ref} was closed {words}{by}{why}"
    if event == "commander":
        handed = f" (from {actor})" if payload.get("actor") else ""
        return f"🎖️ {mention(payload.get('commander'))} now commands {incident.ref}{handed}"
    return f"ℹ️ {incident.ref} changed"


def refusal(reason: str) -> str:
    """A refusal shown only to the person who asked; user mentions in it stay mentions."""
    return fallback(f":no_entry: {keep_mentions(esc(reason))}")


def reminder_message(
    incident: Incident, spec: StepSpec, due_at: datetime, tz: ZoneInfo, escalation: bool
) -> Message:
    title = user_text(spec.title, 200)
    if escalation:
        text = (
            f":rotating_light: *Escalation:* *{title}* in {incident.ref} was due "
            f"{when(due_at, tz)} and is still not done. {mention(incident.commander)}, "
            "please step in."
        )
        short = f"Escalation: a step of {incident.ref} is overdue"
    else:
        text = (
            f":alarm_clock: *Reminder:* *{title}* in {incident.ref} was due {when(due_at, tz)}. "
            f"Owner: {owner_words(spec)}."
        )
        short = f"Reminder: a step of {incident.ref} is overdue"
    controls = ActionsBlock(
        block_id="remind",
        elements=[
            button("Complete", Action.COMPLETE_STEP, step_value(incident, spec.id), "primary")
        ],
    )
    return Message(text=short, blocks=[section(text, "reminder"), controls])
