"""The audit log's rows. Hashing and checking live in ``leakbot.domain.audit``; this module
appends in the caller's transaction, so an entry exists exactly when its change does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from leakbot.domain.audit import GENESIS, AuditEntry, make_entry, verify_chain
from leakbot.domain.errors import NotFound
from leakbot.domain.incident import format_ref
from leakbot.store.incidents import bump_counter
from leakbot.store.models import AuditEntryRecord, CounterRecord, IncidentRecord

#: Entries about no single incident are chained apart; their count lives in ``counters``.
GLOBAL_COUNTER = "audit:global"


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(
        self,
        incident_id: int | None,
        actor: str,
        action: str,
        subject: str,
        before: object,
        after: object,
        at: datetime,
    ) -> AuditEntry:
        """Chain a new entry after the incident's head, and move the head to it.

        The incident row is locked first, so two transactions never take the same ``seq``.
        """
        if incident_id is None:
            seq = bump_counter(self.session, GLOBAL_COUNTER)
            prev = self._global_last()
            prev_hash = prev.hash if prev is not None else GENESIS
        else:
            record = self._incident(IncidentRecord.id == incident_id, lock=True)
            seq = record.audit_count + 1
            prev_hash = record.audit_head or GENESIS
        entry = make_entry(
            incident_id=incident_id,
            seq=seq,
            prev_hash=prev_hash,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            before=before,
            after=after,
        )
        row = AuditEntryRecord(
            incident_id=incident_id,
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            subject=entry.subject,
            before=entry.before,
            after=entry.after,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
        self.session.add(row)
        if incident_id is not None:
            record.audit_count = entry.seq
            record.audit_head = entry.hash
        self.session.flush()
        return _read(row)

    def entries(self, incident_id: int | None) -> list[AuditEntry]:
        stmt = (
            select(AuditEntryRecord)
            .where(
                AuditEntryRecord.incident_id.is_(None)
                if incident_id is None
                else AuditEntryRecord.incident_id == incident_id
            )
            .order_by(AuditEntryRecord.seq, AuditEntryRecord.id)
        )
        return [_read(r) for r in self.session.scalars(stmt)]

    def verify(self, incident_number: int) -> list[str]:
        """Problems with the incident's audit log; empty when it is intact."""
        try:
            record = self._incident(IncidentRecord.number == incident_number)
        except NotFound:
            raise NotFound(f"There is no incident {format_ref(incident_number)}.") from None
        return verify_chain(self.entries(record.id), record.audit_head, record.audit_count)

    def head(self, incident_id: int) -> tuple[str | None, int]:
        """The head hash and the count the incident last wrote."""
        record = self._incident(IncidentRecord.id == incident_id)
        return record.audit_head, record.audit_count

    def verify_global(self) -> list[str]:
        entries = self.entries(None)
        counter = self.session.get(CounterRecord, GLOBAL_COUNTER)
        count = counter.value if counter is not None else 0
        # No head is stored apart for these; the chain and the count still catch tampering
        # other than rewriting the newest entry with a freshly computed hash.
        head = entries[-1].hash if entries else None
        return verify_chain(entries, head, count)

    def _incident(self, where: ColumnElement[bool], lock: bool = False) -> IncidentRecord:
        stmt = select(IncidentRecord).where(where)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        record: IncidentRecord | None = self.session.scalars(stmt).one_or_none()
        if record is None:
            raise NotFound("There is no such incident.")
        return record

    def _global_last(self) -> AuditEntryRecord | None:
        stmt = (
            select(AuditEntryRecord)
            .where(AuditEntryRecord.incident_id.is_(None))
            .order_by(AuditEntryRecord.seq.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()


def _read(row: AuditEntryRecord) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        incident_id=row.incident_id,
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        before=row.before,
        after=row.after,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
