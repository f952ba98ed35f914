"""A stored notice draft as a file: Markdown as written, or a Word document."""

from __future__ import annotations

from typing import Any

from leakbot.domain.incident import Incident

DRAFT_LABEL = "DRAFT — PRIVILEGED & CONFIDENTIAL"
APPROVED_LABEL = "APPROVED"


def status_label(draft: Any) -> str:
    return APPROVED_LABEL if draft.status == "approved" else DRAFT_LABEL


def file_name(incident: Incident, draft: Any, fmt: str) -> str:
    return f"{incident.ref}-{draft.kind}-{draft.locale}-v{draft.version}.{fmt}"


def notice_file(incident: Incident, draft: Any, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of ``draft`` in ``fmt`` (``md`` or ``docx``)."""
    label = status_label(draft)
    if fmt == "md":
        text = f"<!-- {incident.ref} · {label} -->\n\n{draft.body}"
        return file_name(incident, draft, "md"), text.encode("utf-8")
    from leakbot.notices.docx import markdown_to_docx

    content = markdown_to_docx(
        draft.body, header=f"{incident.ref} · {draft.title}", status_label=label
    )
    return file_name(incident, draft, "docx"), content
