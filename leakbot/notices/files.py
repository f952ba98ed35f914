"""A stored notice draft as a file: Markdown as written, or a Word letter."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from leakbot.domain.incident import Incident
from leakbot.notices.docx import LetterInfo, markdown_to_docx

_HEADING = re.compile(r"^# +(.+?)\s*$", re.MULTILINE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def file_name(incident: Incident, draft: Any, fmt: str) -> str:
    """``LEAK-1-breach_notice-en-v2.docx``; a copy per addressee names it too:
    ``LEAK-1-takedown_request-forum_example-en-v1.docx``."""
    addressee = str(getattr(draft, "addressee", "") or "")
    to = f"-{_SAFE.sub('_', addressee)}" if addressee else ""
    return f"{incident.ref}-{draft.kind}{to}-{draft.locale}-v{draft.version}.{fmt}"


_SAFE = re.compile(r"[^A-Za-z0-9-]")  # no dots: a file name keeps one suffix


def letter_info(draft: Any, author: str) -> LetterInfo:
    """What the Word file says about itself: the draft's title, its heading as the subject,
    our company as the author, drafted when the draft was; a watermark unless approved."""
    heading = _HEADING.search(draft.body)
    subject = _ESCAPE.sub(r"\1", heading.group(1)) if heading else draft.title
    drafted_at = draft.created_at if isinstance(draft.created_at, datetime) else datetime.now(UTC)
    return LetterInfo(
        locale=draft.locale,
        title=draft.title,
        subject=subject,
        author=author,
        drafted_at=drafted_at,
        draft=draft.status != "approved",
    )


def notice_file(incident: Incident, draft: Any, fmt: str, *, author: str) -> tuple[str, bytes]:
    """(file name, content) of ``draft`` in ``fmt`` (``md`` or ``docx``); ``author`` is our
    company, as the Word file's properties name it."""
    if fmt == "md":
        status = "APPROVED" if draft.status == "approved" else "DRAFT"
        text = f"<!-- {status} -->\n\n{draft.body}"
        return file_name(incident, draft, "md"), text.encode("utf-8")
    content = markdown_to_docx(draft.body, letter_info(draft, author))
    return file_name(incident, draft, "docx"), content
