"""A stored notice draft as a file: Markdown as written, or a Word document."""

from __future__ import annotations

from typing import Any

from leakbot.domain.incident import Incident
from leakbot.notices.docx import markdown_to_docx, status_label


def file_name(incident: Incident, draft: Any, fmt: str) -> str:
    return f"{incident.ref}-{draft.kind}-{draft.locale}-v{draft.version}.{fmt}"


def notice_file(incident: Incident, draft: Any, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of ``draft`` in ``fmt`` (``md`` or ``docx``)."""
    label = status_label(draft.status)
    if fmt == "md":
        text = f"<!-- {incident.ref} · {label} -->\n\n{draft.body}"
        return file_name(incident, draft, "md"), text.encode("utf-8")
    content = markdown_to_docx(
        draft.body, header=f"{incident.ref} · {draft.title}", status_label=label
    )
    return file_name(incident, draft, "docx"), content
