"""Notice drafts, versioned per (incident, kind, locale, addressee). Redrafting adds a version;
an approved version is what legal signed off, so it is never changed afterwards.

``addressee`` is "" for a notice drafted once, and names the recipient of each copy of a kind
drafted once per addressee (a takedown request per platform: the platform's host)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leakbot.domain.errors import AlreadyDone, NotFound, Refused
from leakbot.services.storage import APPROVED, NoticeDraftRow
from leakbot.store.models import IncidentRecord, NoticeDraftRecord

DRAFT = "draft"


class NoticeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_draft(
        self,
        incident_id: int,
        kind: str,
        locale: str,
        title: str,
        audience: str,
        body: str,
        inputs_hash: str,
        created_by: str,
        at: datetime,
        addressee: str = "",
    ) -> NoticeDraftRow:
        # Lock the incident so two drafts made at once do not both take the same version.
        self.session.execute(
            select(IncidentRecord.id).where(IncidentRecord.id == incident_id).with_for_update()
        )
        latest = self.session.scalar(
            select(func.max(NoticeDraftRecord.version)).where(
                NoticeDraftRecord.incident_id == incident_id,
                NoticeDraftRecord.kind == kind,
                NoticeDraftRecord.locale == locale,
                NoticeDraftRecord.addressee == addressee,
            )
        )
        row = NoticeDraftRecord(
            incident_id=incident_id,
            kind=kind,
            locale=locale,
            addressee=addressee,
            version=(latest or 0) + 1,
            title=title,
            audience=audience,
            body=body,
            inputs_hash=inputs_hash,
            status=DRAFT,
            created_at=at,
            created_by=created_by,
        )
        self.session.add(row)
        self.session.flush()
        return _read(row)

    def latest(self, incident_id: int) -> list[NoticeDraftRow]:
        """The newest version of each kind, locale and addressee, ordered by kind, addressee
        and locale."""
        newest = (
            select(
                NoticeDraftRecord.kind,
                NoticeDraftRecord.locale,
                NoticeDraftRecord.addressee,
                func.max(NoticeDraftRecord.version).label("version"),
            )
            .where(NoticeDraftRecord.incident_id == incident_id)
            .group_by(NoticeDraftRecord.kind, NoticeDraftRecord.locale, NoticeDraftRecord.addressee)
            .subquery()
        )
        stmt = (
            select(NoticeDraftRecord)
            .join(
                newest,
                (NoticeDraftRecord.kind == newest.c.kind)
                & (NoticeDraftRecord.locale == newest.c.locale)
                & (NoticeDraftRecord.addressee == newest.c.addressee)
                & (NoticeDraftRecord.version == newest.c.version),
            )
            .where(NoticeDraftRecord.incident_id == incident_id)
            .order_by(NoticeDraftRecord.kind, NoticeDraftRecord.addressee, NoticeDraftRecord.locale)
        )
        return [_read(r) for r in self.session.scalars(stmt)]

    def all_versions(
        self, incident_id: int, kind: str, locale: str, addressee: str | None = None
    ) -> list[NoticeDraftRow]:
        """Every version of a kind and locale, oldest first; of every addressee (each one's
        versions together) unless ``addressee`` names one."""
        stmt = select(NoticeDraftRecord).where(
            NoticeDraftRecord.incident_id == incident_id,
            NoticeDraftRecord.kind == kind,
            NoticeDraftRecord.locale == locale,
        )
        if addressee is not None:
            stmt = stmt.where(NoticeDraftRecord.addressee == addressee)
        stmt = stmt.order_by(NoticeDraftRecord.addressee, NoticeDraftRecord.version)
        return [_read(r) for r in self.session.scalars(stmt)]

    def get(self, draft_id: int) -> NoticeDraftRow:
        return _read(self._row(draft_id))

    def approve(self, draft_id: int, by: str, at: datetime) -> NoticeDraftRow:
        row = self._row(draft_id, lock=True)
        if row.status == APPROVED:
            raise AlreadyDone(
                f"Version {row.version} of this notice was already approved"
                f" by <@{row.approved_by}>.",
                by=row.approved_by,
                at=row.approved_at,
            )
        row.status = APPROVED
        row.approved_by = by
        row.approved_at = at
        self.session.flush()
        return _read(row)

    def edit(
        self,
        draft_id: int,
        *,
        title: str | None = None,
        audience: str | None = None,
        body: str | None = None,
        inputs_hash: str | None = None,
    ) -> NoticeDraftRow:
        """Change a draft in place; an approved version is refused (draft a new version)."""
        row = self._row(draft_id, lock=True)
        if row.status == APPROVED:
            raise Refused(
                f"Version {row.version} of this notice is approved and can no longer change; "
                "draft a new version instead."
            )
        if title is not None:
            row.title = title
        if audience is not None:
            row.audience = audience
        if body is not None:
            row.body = body
        if inputs_hash is not None:
            row.inputs_hash = inputs_hash
        self.session.flush()
        return _read(row)

    def _row(self, draft_id: int, lock: bool = False) -> NoticeDraftRecord:
        stmt = select(NoticeDraftRecord).where(NoticeDraftRecord.id == draft_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        row = self.session.scalars(stmt).one_or_none()
        if row is None:
            raise NotFound("There is no such notice draft.")
        return row


def _read(row: NoticeDraftRecord) -> NoticeDraftRow:
    return NoticeDraftRow(
        id=row.id,
        incident_id=row.incident_id,
        kind=row.kind,
        locale=row.locale,
        version=row.version,
        title=row.title,
        audience=row.audience,
        body=row.body,
        inputs_hash=row.inputs_hash,
        status=row.status,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        created_at=row.created_at,
        created_by=row.created_by,
        addressee=row.addressee or "",
    )
