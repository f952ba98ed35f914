"""The checklist: one message per incident, updated in place, that shows every step.

Each step takes one section (its state, owner, due time, who finished it, its inputs) with its
one control as the accessory; a ready optional step needs two controls, so it gets an actions
block under its section. A playbook too long for Slack's 50 blocks falls back to one block per
step, with Complete/Skip in an overflow menu, and then to a note that more steps exist.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DividerBlock,
    HeaderBlock,
    Option,
    OverflowMenuElement,
)

from leakbot.domain.incident import Incident, StepState, StepStatus
from leakbot.domain.playbook import StepSpec
from leakbot.domain.rules import waiting_for
from leakbot.slack.blocks.common import (
    MAX_HEADER,
    MAX_MESSAGE_BLOCKS,
    OUTCOME_WORDS,
    STATE_EMOJI,
    Message,
    button,
    context,
    done_line,
    fallback,
    input_value,
    owner_words,
    plain,
    section,
    step_value,
)
from leakbot.slack.blocks.evidence_views import evidence_count_line
from leakbot.slack.ids import Action
from leakbot.slack.text import clip, esc, mention, user_text, when

_HEAD_BLOCKS = 4  # header, status, context, divider
_TAIL_BLOCKS = 3  # divider, evidence count, notices and evidence actions


def checklist_message(
    incident: Incident,
    tz: ZoneInfo,
    notice_count: int = 0,
    now: datetime | None = None,
    evidence_count: int = 0,
) -> Message:
    """The whole checklist; ``now`` decides which due times are marked overdue."""
    now = now or datetime.now(UTC)
    blocks: list[Block] = _head(incident, tz)
    specs = incident.playbook.steps
    room = MAX_MESSAGE_BLOCKS - _HEAD_BLOCKS - _TAIL_BLOCKS
    two_blocks = sum(1 for s in specs if _needs_actions_block(incident, s))
    compact = len(specs) + two_blocks > room
    shown = specs if len(specs) <= room else specs[: room - 1]
    for position, spec in enumerate(shown, start=1):
        blocks += _step_blocks(incident, spec, position, tz, now, compact)
    if len(shown) < len(specs):
        blocks.append(
            context(
                f"{len(specs) - len(shown)} more steps are not shown here; "
                f"use `/leak status {incident.ref}`.",
                block_id="more",
            )
        )
    blocks.append(DividerBlock(block_id="tail"))
    blocks.append(context(evidence_count_line(evidence_count), block_id="evidence"))
    label = f"Notices ({notice_count})" if notice_count else "Notices"
    blocks.append(
        ActionsBlock(
            block_id="controls",
            elements=[
                button(label, Action.SHOW_NOTICES, str(incident.number)),
                button("Add evidence", Action.ADD_EVIDENCE, str(incident.number)),
            ],
        )
    )
    done, total = incident.progress()
    text = f"{incident.ref} checklist: {done}/{total} finished"
    return Message(text=fallback(text), blocks=blocks)


def _head(incident: Incident, tz: ZoneInfo) -> list[Block]:
    done, total = incident.progress()
    title = clip(f"{incident.ref} · {esc(incident.facts.title)}", MAX_HEADER)
    status = (
        f"*Status:* {OUTCOME_WORDS[incident.status]}  ·  *Progress:* {done}/{total} finished  ·  "
        f"*Severity:* {esc(incident.facts.severity)}  ·  *Commander:* {mention(incident.commander)}"
    )
    if not incident.is_open:
        closed = f" {when(incident.closed_at, tz)}" if incident.closed_at else ""
        by = f" by {mention(incident.closed_by)}" if incident.closed_by else ""
        reason = f": {user_text(incident.close_reason, 500)}" if incident.close_reason else ""
        status += f"\n*Outcome:* {OUTCOME_WORDS[incident.status]}{closed}{by}{reason}"
    about = (
        f"Playbook: {esc(incident.playbook.name)}  ·  opened {when(incident.opened_at, tz)} "
        f"by {mention(incident.reporter)}"
    )
    return [
        HeaderBlock(block_id="head", text=plain(title, MAX_HEADER)),
        section(status, block_id="status"),
        context(about, block_id="about"),
        DividerBlock(block_id="steps"),
    ]


def _needs_actions_block(incident: Incident, spec: StepSpec) -> bool:
    state = incident.steps[spec.id]
    return incident.is_open and state.status is StepStatus.READY and spec.optional


def _step_blocks(
    incident: Incident,
    spec: StepSpec,
    position: int,
    tz: ZoneInfo,
    now: datetime,
    compact: bool,
) -> list[Block]:
    state = incident.steps[spec.id]
    text = _step_text(incident, spec, state, position, tz, now)
    block_id = f"step:{spec.id}"[:250]
    value = step_value(incident, spec.id)
    finished = state.status in (StepStatus.DONE, StepStatus.SKIPPED)
    if finished:
        return [section(text, block_id, button("Reopen", Action.REOPEN_STEP, value))]
    if not incident.is_open or state.status is not StepStatus.READY:
        return [section(text, block_id)]
    complete = button("Complete", Action.COMPLETE_STEP, value, style="primary")
    if not spec.optional:
        return [section(text, block_id, complete)]
    if compact:
        menu = OverflowMenuElement(
            action_id=Action.STEP_MENU,
            options=[
                Option(value=f"complete|{value}", label="Complete"),
                Option(value=f"skip|{value}", label="Skip"),
            ],
        )
        return [section(text, block_id, menu)]
    skip = button("Skip", Action.SKIP_STEP, value)
    return [
        section(text, block_id),
        ActionsBlock(block_id=f"act:{spec.id}"[:250], elements=[complete, skip]),
    ]


def _step_text(
    incident: Incident,
    spec: StepSpec,
    state: StepState,
    position: int,
    tz: ZoneInfo,
    now: datetime,
) -> str:
    optional = " _(optional)_" if spec.optional else ""
    lines = [
        f"{STATE_EMOJI[state.status]} *{position}. {user_text(spec.title, 200)}*{optional}  ·  "
        f"{owner_words(spec)}"
    ]
    if state.status is StepStatus.READY and state.due_at is not None:
        overdue = "  :warning: *overdue*" if state.due_at < now else ""
        lines.append(f"Due {when(state.due_at, tz)}{overdue}")
    if state.status is StepStatus.PENDING:
        waits = waiting_for(incident, spec.id)
        titles = ", ".join(f"“{user_text(_title(incident, w), 100)}”" for w in waits)
        lines.append(f"Waits for {titles}" if titles else "Waits for its condition")
    if state.status in (StepStatus.DONE, StepStatus.SKIPPED):
        finished = done_line(state, tz)
        lines.append(finished[:1].upper() + finished[1:])
    if state.note:
        lines.append(f"> {user_text(state.note, 500)}")
    if state.status is StepStatus.DONE:
        for key, value in state.inputs.items():
            given = spec.input(key)
            label = user_text(given.label if given else key, 100)
            lines.append(f"• {label}: {input_value(given, value)}")
    return "\n".join(lines)


def _title(incident: Incident, step_id: str) -> str:
    try:
        return incident.playbook.step(step_id).title
    except KeyError:
        return step_id
