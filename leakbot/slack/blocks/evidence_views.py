"""Evidence in Slack: the "Add evidence" modal, the list of items, the line telling the person
who added an item what was kept."""

from __future__ import annotations

import json
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    DateTimePickerElement,
    InputBlock,
    PlainTextInputElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View as SlackView

from leakbot.domain.evidence import MAX_FILES, MAX_NOTE, EvidenceItem, Source, Status, size_words
from leakbot.domain.incident import Incident
from leakbot.slack.blocks.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_VIEW_TITLE,
    Message,
    context,
    plain,
    section,
)
from leakbot.slack.ids import EvidenceField, View
from leakbot.slack.text import esc, mention, user_text, when

_MAX_ITEMS = MAX_MESSAGE_BLOCKS - 2
SOURCE_WORDS = {
    Source.UPLOAD: "files added",
    Source.MESSAGE: "a Slack message",
    Source.LINK: "web addresses",
}


def evidence_modal(incident: Incident, max_mb: float) -> SlackView:
    """Files (Slack's file input: modals only, at most 10), addresses, when it was seen, a
    note; read back by ``payloads.evidence_form``."""
    blocks: list[Block] = [
        section(
            f"*{incident.ref}* · evidence is kept with its SHA-256 in the audit log, and shown "
            "to legal, security and the commander only.",
            block_id="about",
        ),
        InputBlock(
            block_id=EvidenceField.FILES,
            label=plain("Screenshots or files"),
            element=FileInputElement(action_id=EvidenceField.FILES, max_files=MAX_FILES),
            optional=True,
            hint=plain(f"Up to {MAX_FILES} files, each at most {max_mb:g} MB."),
        ),
        InputBlock(
            block_id=EvidenceField.LINKS,
            label=plain("Web addresses where it was seen"),
            element=PlainTextInputElement(
                action_id=EvidenceField.LINKS, multiline=True, max_length=3000
            ),
            optional=True,
            hint=plain("One per line."),
        ),
        InputBlock(
            block_id=EvidenceField.SEEN_AT,
            label=plain("When it was seen"),
            element=DateTimePickerElement(action_id=EvidenceField.SEEN_AT),
            optional=True,
        ),
        InputBlock(
            block_id=EvidenceField.NOTE,
            label=plain("Note"),
            element=PlainTextInputElement(
                action_id=EvidenceField.NOTE, multiline=True, max_length=MAX_NOTE
            ),
            optional=True,
        ),
    ]
    return SlackView(
        type="modal",
        callback_id=View.EVIDENCE,
        title=plain("Add evidence", MAX_VIEW_TITLE),
        submit=plain("Add"),
        close=plain("Cancel"),
        private_metadata=json.dumps({"number": incident.number}),
        blocks=blocks,
    )


def _files_line(item: EvidenceItem) -> list[str]:
    lines = []
    for f in item.files:
        if f.refused:
            lines.append(f"• {user_text(f.name, 200)}: not kept ({esc(f.refused)})")
        elif f.sha256:
            size = size_words(f.size or 0)
            lines.append(f"• {user_text(f.name, 200)} · {size} · `sha256 {f.sha256[:16]}…`")
        else:
            lines.append(f"• {user_text(f.name, 200)}: being fetched from Slack")
    return lines


def item_text(item: EvidenceItem, tz: ZoneInfo) -> str:
    head = (
        f"*{item.ref}* · {SOURCE_WORDS[item.source]} by {mention(item.added_by)} "
        f"{when(item.added_at, tz)}"
    )
    lines = [head]
    if item.seen_at:
        lines.append(f"Seen {when(item.seen_at, tz)}")
    if item.message:
        lines.append(
            f"Message by {mention(item.message.author)}: “{user_text(item.message.text, 300)}”"
        )
    if item.permalink:
        lines.append(f"<{item.permalink}|In Slack>")
    for link in item.links:
        lines.append(f"• {user_text(link, 300)}")
    lines += _files_line(item)
    if item.note:
        lines.append(f"> {user_text(item.note, 500)}")
    if item.status is Status.PENDING:
        lines.append("_Being kept…_")
    return "\n".join(lines)


def evidence_list(incident: Incident, items: Sequence[EvidenceItem], tz: ZoneInfo) -> Message:
    blocks: list[Block] = [section(f"*Evidence of {incident.ref}*", block_id="evidence")]
    if not items:
        blocks.append(context("No evidence is recorded yet.", block_id="none"))
        return Message(text=f"{incident.ref}: no evidence yet", blocks=blocks)
    for item in items[:_MAX_ITEMS]:
        blocks.append(section(item_text(item, tz), block_id=f"item:{item.number}"))
    if len(items) > _MAX_ITEMS:
        blocks.append(context(f"{len(items) - _MAX_ITEMS} more items are in the dossier."))
    return Message(text=f"{incident.ref}: {len(items)} evidence item(s)", blocks=blocks)


def recording_text(ref: str) -> str:
    """Told only to the person who used "Add to evidence", once the message is recorded (its
    files are fetched and kept after)."""
    return f"The message is being recorded as evidence {ref}."


def kept_text(incident: Incident, item: EvidenceItem) -> str:
    """Told only to the person who added the item, once its files are kept."""
    kept = [f for f in item.files if f.sha256 and not f.refused]
    refused = [f for f in item.files if f.refused]
    parts = [f"{incident.ref}: evidence {item.ref} is recorded in the audit log"]
    if kept:
        parts.append(
            "with "
            + ", ".join(
                f"{user_text(f.name, 100)} (`sha256 {(f.sha256 or '')[:12]}…`)" for f in kept
            )
        )
    text = " ".join(parts) + "."
    for f in refused:
        text += f"\n:warning: {user_text(f.name, 100)} was not kept: {esc(f.refused or '')}."
    return text


def evidence_count_line(count: int) -> str:
    if not count:
        return "Evidence: none recorded yet"
    return f"Evidence: {count} item{'s' if count != 1 else ''} recorded"
