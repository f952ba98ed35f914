"""The audit log as a hash chain: each entry's hash covers its content and the hash before it.

Editing, deleting or reordering entries breaks the chain. Deleting the newest entries leaves a
valid chain behind, so the incident also keeps the head hash and the count it last wrote; both
are checked here. This module is pure: the store reads and writes the rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

#: The ``prev_hash`` of the first entry of every chain.
GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} cannot be written to the audit log")


def json_safe(value: Any) -> Any:
    """``value`` as it reads back from a JSON column, so what is hashed is what is stored."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def canonical(fields: dict[str, Any]) -> str:
    """One spelling per content: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(
        fields, default=_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(fields)}".encode()).hexdigest()


def _at(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change. ``incident_id`` is None for entries about no single incident."""

    incident_id: int | None
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    before: Any
    after: Any
    prev_hash: str
    hash: str
    id: int | None = None

    def fields(self) -> dict[str, Any]:
        """What the hash covers: everything but the hashes and the database id."""
        return {
            "incident_id": self.incident_id,
            "seq": self.seq,
            "at": _at(self.at),
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "before": self.before,
            "after": self.after,
        }

    @property
    def intact(self) -> bool:
        return entry_hash(self.prev_hash, self.fields()) == self.hash


def make_entry(
    *,
    incident_id: int | None,
    seq: int,
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """The next entry of a chain, hashed; ``before``/``after`` normalised to plain JSON."""
    draft = AuditEntry(
        incident_id=incident_id,
        seq=seq,
        at=at.astimezone(UTC),
        actor=actor,
        action=action,
        subject=subject,
        before=json_safe(before),
        after=json_safe(after),
        prev_hash=prev_hash,
        hash="",
    )
    return AuditEntry(**{**draft.__dict__, "hash": entry_hash(prev_hash, draft.fields())})


def verify_chain(entries: list[AuditEntry], head: str | None, count: int) -> list[str]:
    """Problems found in ``entries`` (ordered by seq), given the head hash and count recorded
    when the last entry was written. Empty means intact. Messages name sequence numbers only,
    never content, so they are safe to show and to log."""
    problems: list[str] = []
    expected_prev = GENESIS
    position = 1
    for entry in entries:
        if entry.seq != position:
            problems.append(f"entry {entry.seq} stands where entry {position} should be")
            position = entry.seq  # one gap or swap is one problem, not one per later entry
        position += 1
        if entry.prev_hash != expected_prev:
            problems.append(f"entry {entry.seq} does not follow the entry before it")
        if not entry.intact:
            problems.append(f"entry {entry.seq} was altered: its hash does not match its content")
        expected_prev = entry.hash
    if len(entries) != count:
        problems.append(f"the log holds {len(entries)} entries but {count} were written")
    last = entries[-1].hash if entries else None
    if (head or None) != last:
        problems.append("the newest entry is not the one last written")
    return problems
