"""The list of an incident's drafted notices, with buttons to pull or approve each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block

from leakbot.domain.incident import Incident
from leakbot.slack.blocks.common import (
    LOCALE_WORDS,
    MAX_MESSAGE_BLOCKS,
    Message,
    button,
    context,
    kind_words,
    section,
)
from leakbot.slack.ids import Action
from leakbot.slack.text import esc, mention, user_text

_MAX_DRAFTS = (MAX_MESSAGE_BLOCKS - 2) // 2  # two blocks per draft, a heading and a note


def _is_draft(draft: Any) -> bool:
    return str(draft.status).lower() != "approved"


def _line(draft: Any) -> str:
    locale = LOCALE_WORDS.get(str(draft.locale), esc(str(draft.locale)))
    state = "DRAFT" if _is_draft(draft) else "APPROVED"
    by = f" by {mention(draft.approved_by)}" if not _is_draft(draft) and draft.approved_by else ""
    title = f"\n{user_text(draft.title, 300)}" if draft.title else ""
    addressee = str(getattr(draft, "addressee", "") or "")
    to = f" · to {user_text(addressee, 100)}" if addressee else ""
    kind = kind_words(str(draft.kind))
    return f"*{kind}*{to} · {locale} · v{draft.version} · *{state}*{by}{title}"


def notices_message(incident: Incident, drafts: Sequence[Any], can_approve: bool) -> Message:
    """``drafts`` are notice rows (``.id .kind .locale .version .title .status .approved_by``)."""
    blocks: list[Block] = [section(f"*Notices of {incident.ref}*", block_id="notices")]
    if not drafts:
        blocks.append(context("No notice is drafted yet.", block_id="none"))
        return Message(text=f"{incident.ref}: no notice is drafted yet", blocks=blocks)
    for draft in drafts[:_MAX_DRAFTS]:
        buttons = [
            button("Word (.docx)", Action.PULL_DOCX, f"{draft.id}:docx"),
            button("Markdown", Action.PULL_MD, f"{draft.id}:md"),
        ]
        if can_approve and _is_draft(draft):
            buttons.append(button("Approve", Action.APPROVE_NOTICE, str(draft.id), style="primary"))
        blocks.append(section(_line(draft), block_id=f"notice:{draft.id}"))
        blocks.append(ActionsBlock(block_id=f"pull:{draft.id}", elements=buttons))
    if len(drafts) > _MAX_DRAFTS:
        blocks.append(context(f"{len(drafts) - _MAX_DRAFTS} more drafts are not shown."))
    text = f"{incident.ref}: {len(drafts)} notice draft(s)"
    return Message(text=text, blocks=blocks)
