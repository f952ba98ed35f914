"""The incident's audit chain told in words, for people: Markdown and a Word document."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from leakbot.domain.audit import AuditEntry
from leakbot.domain.incident import Incident
from leakbot.notices.docx import LetterInfo, markdown_to_docx

Names = Callable[[str], str | None]

_VERBS = {
    "incident.opened": "reported the incident",
    "incident.closed": "closed the incident",
    "incident.reopened": "reopened the incident",
    "commander.changed": "handed the incident over",
    "step.ready": "— the step became ready",
    "step.completed": "completed",
    "step.skipped": "skipped",
    "step.reopened": "reopened",
    "step.blocked": "— the step now waits again",
    "notice.drafted": "— a notice was drafted",
    "notice.approved": "approved the notice",
    "notice.pulled": "took a copy of the notice",
    "evidence.added": "added evidence",
    "dossier.requested": "asked for the dossier",
}


def person(user_id: str, names: Names | None) -> str:
    if user_id in ("", "system", "leakbot"):
        return "leakbot"
    name = names(user_id) if names else None
    return f"{name} ({user_id})" if name else user_id


def _what(incident: Incident, entry: AuditEntry) -> str:
    subject = entry.subject
    if entry.action.startswith("step."):
        with contextlib.suppress(KeyError):
            subject = f"“{incident.playbook.step(subject).title}”"
    if entry.action == "evidence.added" and isinstance(entry.after, dict):
        return f"{subject} ({_evidence_words(entry.after)}; hashes in manifest.json)"
    if entry.action == "commander.changed" and isinstance(entry.after, dict):
        return f"to {entry.after.get('commander')}"
    return subject


def _evidence_words(after: dict[str, Any]) -> str:
    files = [f for f in after.get("files") or [] if isinstance(f, dict)]
    kept = [str(f.get("name")) for f in files if f.get("sha256")]
    refused = [str(f.get("name")) for f in files if f.get("refused")]
    links = after.get("links") or []
    if after.get("source") == "message":
        parts = ["a Slack message"] + ([f"its files {', '.join(kept[1:])}"] if kept[1:] else [])
    else:
        parts = [", ".join(kept)] if kept else []
    if links:
        parts.append(f"{len(links)} web address(es)")
    if refused:
        parts.append(f"not kept: {', '.join(refused)}")
    return "; ".join(p for p in parts if p) or "a record"


def sentence(incident: Incident, entry: AuditEntry, names: Names | None) -> str:
    verb = _VERBS.get(entry.action)
    who = person(entry.actor, names)
    if verb is None:
        return f"{who}: {entry.action} {entry.subject}"
    if verb.startswith("—"):
        return f"{_what(incident, entry)} {verb}"
    return f"{who} {verb} {_what(incident, entry)}".rstrip()


def timeline_markdown(
    incident: Incident, entries: Sequence[AuditEntry], tz: ZoneInfo, names: Names | None
) -> str:
    lines = [
        f"# {incident.ref} — timeline",
        "",
        f"Times in {tz.key}. Each line is one entry of the audit chain (`audit.jsonl`).",
        "",
    ]
    for entry in entries:
        at = entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{entry.seq}. **{at}** — {sentence(incident, entry, names)}")
    return "\n".join(lines) + "\n"


def timeline_docx(incident: Incident, markdown: str, author: str, made: datetime) -> bytes:
    """The timeline as a Word document (no watermark: it is a record, not a draft)."""
    letter = LetterInfo(
        locale="en",
        title=f"{incident.ref} — timeline",
        subject=f"{incident.ref} audit chain in words",
        author=author,
        drafted_at=made,
        draft=False,
    )
    return markdown_to_docx(markdown, letter)
