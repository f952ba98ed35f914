"""Pieces every builder shares: the Message value, Slack's limits and small block helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from leakbot.domain.incident import Incident, IncidentStatus, StepState, StepStatus
from leakbot.domain.playbook import COMMANDER, InputSpec, StepSpec
from leakbot.slack.text import clip, esc, mention, money, user_text, when

# Slack's limits, from the Block Kit reference.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 3000  # section and context text
MAX_FIELD = 2000  # a section field
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_OPTIONS = 100
MAX_VIEW_TITLE = 24
MAX_FALLBACK = 4000  # a message's top-level text before Slack truncates it

STATE_EMOJI = {
    StepStatus.READY: ":large_blue_circle:",
    StepStatus.DONE: ":white_check_mark:",
    StepStatus.SKIPPED: ":fast_forward:",
    StepStatus.PENDING: ":white_circle:",
}

OUTCOME_WORDS = {
    IncidentStatus.OPEN: "Open",
    IncidentStatus.CLOSED: "Resolved",
    IncidentStatus.FALSE_ALARM: "Closed as a false alarm",
}

LOCALE_WORDS = {"en": "English", "zh": "中文"}


@dataclass(frozen=True)
class Message:
    """A message to post: ``text`` is what notifications and screen readers show."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        """What ``chat.postMessage`` / ``chat.update`` take, as plain JSON values."""
        return {"text": self.text, "blocks": [b.to_dict() for b in self.blocks]}


def plain(text: str, limit: int = MAX_TEXT) -> PlainTextObject:
    return PlainTextObject(text=clip(text, limit) or " ", emoji=True)


def mrkdwn(text: str, limit: int = MAX_TEXT) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text, limit) or " ")


def section(text: str, block_id: str | None = None, accessory: Any = None) -> SectionBlock:
    return SectionBlock(text=mrkdwn(text), block_id=block_id, accessory=accessory)


def context(text: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(elements=[mrkdwn(text)], block_id=block_id)


def button(label: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=plain(label, MAX_BUTTON_TEXT), action_id=str(action_id), value=value, style=style
    )


def fallback(text: str) -> str:
    return clip(text, MAX_FALLBACK)


def step_value(incident: Incident, step_id: str) -> str:
    """The value of every step button: ``"<number>:<step_id>"`` (read by payloads.step_ref)."""
    return f"{incident.number}:{step_id}"


def owner_words(spec: StepSpec) -> str:
    return "the commander" if spec.owner == COMMANDER else f"`{esc(spec.owner)}`"


def kind_words(kind: str) -> str:
    """``breach_notice`` reads as ``Breach notice``."""
    words = kind.replace("_", " ").replace("-", " ").strip()
    return esc(words[:1].upper() + words[1:]) if words else "Notice"


def input_value(spec: InputSpec | None, value: Any) -> str:
    """One given input as the checklist shows it, escaped and kept short."""
    if value is None or value == "":
        return "—"
    if spec is None:
        return user_text(str(value), 300)
    if spec.type == "money":
        return money(value)
    if spec.type == "user":
        return mention(str(value))
    if spec.type == "choice":
        label = next((o.label for o in spec.options if o.value == value), str(value))
        return user_text(label, 300)
    return user_text(str(value), 300)


def done_line(state: StepState, tz: ZoneInfo) -> str:
    """Who finished a step and when, e.g. ``done by <@U1> <date>``."""
    verb = "done" if state.status is StepStatus.DONE else "skipped"
    who = f" by {mention(state.done_by)}" if state.done_by else ""
    at = f" {when(state.done_at, tz)}" if state.done_at else ""
    return f"{verb}{who}{at}"
