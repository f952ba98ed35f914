"""Names inside a dossier, shared by the writer and the offline checker."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from leakbot.domain.audit import AuditEntry

FORMAT = "leakbot-dossier/1"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
AUDIT = "audit.jsonl"
#: Written last and not listed in the manifest (they describe the others).
UNLISTED = (MANIFEST, SUMS)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, limit: int = 100) -> str:
    """A file name that is the same on every system: no folders, no odd characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._") or "file"
    if len(cleaned) > limit:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (
            (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) < 10 else cleaned[:limit]
        )
    return cleaned


def audit_line(entry: AuditEntry) -> dict[str, Any]:
    """One audit entry as stored, as a JSON object (``at`` exactly as it is hashed)."""
    return {
        "incident_id": entry.incident_id,
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def read_audit_line(data: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        incident_id=data["incident_id"],
        seq=int(data["seq"]),
        at=datetime.fromisoformat(str(data["at"])),
        actor=str(data["actor"]),
        action=str(data["action"]),
        subject=str(data["subject"]),
        before=data.get("before"),
        after=data.get("after"),
        prev_hash=str(data["prev_hash"]),
        hash=str(data["hash"]),
    )
