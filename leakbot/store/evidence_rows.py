"""Evidence items of an incident, numbered E-1, E-2, … per incident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leakbot.domain.errors import NotFound
from leakbot.domain.evidence import (
    EvidenceFile,
    EvidenceItem,
    RecordedMessage,
    Source,
    Status,
    sha256,
)
from leakbot.services.storage import BlobStore
from leakbot.store.models import EvidenceRecord, IncidentRecord


class EvidenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: EvidenceItem, idempotency_key: str | None = None) -> EvidenceItem:
        """Number the item after the incident's last one (the incident row is locked, so two
        items added at once never share a number). A second add with the same key returns the
        first item: a replayed request adds nothing."""
        if idempotency_key is not None:
            found = self.session.scalars(
                select(EvidenceRecord).where(EvidenceRecord.idempotency_key == idempotency_key)
            ).first()
            if found is not None:
                return _read(found)
        self.session.execute(
            select(IncidentRecord.id).where(IncidentRecord.id == item.incident_id).with_for_update()
        )
        last = self.session.scalar(
            select(func.max(EvidenceRecord.number)).where(
                EvidenceRecord.incident_id == item.incident_id
            )
        )
        message = item.message
        row = EvidenceRecord(
            incident_id=item.incident_id,
            number=(last or 0) + 1,
            source=item.source.value,
            status=item.status.value,
            added_by=item.added_by,
            added_at=item.added_at,
            seen_at=item.seen_at,
            note=item.note,
            links=list(item.links),
            files=[f.as_json() for f in item.files],
            permalink=item.permalink,
            message_channel=message.channel_id if message else None,
            message_ts=message.ts if message else None,
            message_author=message.author if message else None,
            message_text=message.text if message else None,
            kept_at=item.kept_at,
            idempotency_key=idempotency_key,
        )
        self.session.add(row)
        self.session.flush()
        return _read(row)

    def get(self, item_id: int, for_update: bool = False) -> EvidenceItem:
        stmt = select(EvidenceRecord).where(EvidenceRecord.id == item_id)
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        row = self.session.scalars(stmt).first()
        if row is None:
            raise NotFound("That evidence no longer exists.")
        return _read(row)

    def of_incident(self, incident_id: int) -> list[EvidenceItem]:
        stmt = (
            select(EvidenceRecord)
            .where(EvidenceRecord.incident_id == incident_id)
            .order_by(EvidenceRecord.number)
        )
        return [_read(r) for r in self.session.scalars(stmt)]

    def count(self, incident_id: int) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(EvidenceRecord)
                .where(EvidenceRecord.incident_id == incident_id)
            )
            or 0
        )

    def mark_kept(
        self,
        item_id: int,
        files: tuple[EvidenceFile, ...],
        permalink: str | None,
        at: datetime,
    ) -> EvidenceItem:
        row = self.session.get(EvidenceRecord, item_id)
        if row is None:
            raise NotFound("That evidence no longer exists.")
        row.files = [f.as_json() for f in files]
        row.permalink = permalink or row.permalink
        row.status = Status.KEPT.value
        row.kept_at = at
        self.session.flush()
        return _read(row)

    def check_files(self, incident_id: int, blobs: BlobStore) -> list[str]:
        """Every kept file re-read from the store and re-hashed; one line per file that went
        missing or changed. Names item, file name and hash prefix, never content."""
        problems: list[str] = []
        for item in self.of_incident(incident_id):
            for f in item.kept_files:
                assert f.sha256 is not None
                content = blobs.get(f.sha256)
                label = f"evidence {item.ref} file “{f.name}” (sha256 {f.sha256[:12]}…)"
                if content is None:
                    problems.append(f"{label} is missing from {blobs.where()}")
                elif sha256(content) != f.sha256:
                    problems.append(
                        f"{label} was altered in {blobs.where()}: its bytes no "
                        "longer match its SHA-256"
                    )
        return problems


def _read(row: EvidenceRecord) -> EvidenceItem:
    message = None
    if row.message_ts:
        message = RecordedMessage(
            channel_id=row.message_channel or "",
            ts=row.message_ts,
            author=row.message_author or "",
            text=row.message_text or "",
        )
    return EvidenceItem(
        id=row.id,
        incident_id=row.incident_id,
        number=row.number,
        source=Source(row.source),
        status=Status(row.status),
        added_by=row.added_by,
        added_at=row.added_at,
        seen_at=row.seen_at,
        note=row.note or "",
        links=tuple(row.links or ()),
        files=tuple(EvidenceFile.from_json(f) for f in row.files or ()),
        permalink=row.permalink,
        message=message,
        kept_at=row.kept_at,
    )
