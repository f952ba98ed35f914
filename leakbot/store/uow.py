"""One use case, one transaction: the unit of work hands out the repositories that share it.

Leaving the ``with`` block without ``commit()`` rolls everything back, so a use case that
raises half-way (a refusal, a bug) leaves the database exactly as it found it.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from leakbot.services.storage import BlobStore
from leakbot.store.audit_log import AuditRepository
from leakbot.store.db import READ_ONLY
from leakbot.store.evidence_blobs import blob_store
from leakbot.store.evidence_rows import EvidenceRepository
from leakbot.store.inbox import InboxRepository, settle_in
from leakbot.store.incidents import IncidentRepository
from leakbot.store.notice_drafts import NoticeRepository
from leakbot.store.outbox_items import OutboxRepository
from leakbot.store.people_names import PeopleRepository
from leakbot.store.reminders_sent import ReminderRepository


class UnitOfWork:
    """Use as ``with uow: ...; uow.commit()``. The same object may be entered again later
    (one transaction after the other), but not from two threads at once.

    ``read_only=True`` is for queries that write nothing: on SQLite they then do not queue
    behind writers.
    """

    session: Session
    incidents: IncidentRepository
    audit: AuditRepository
    notices: NoticeRepository
    outbox: OutboxRepository
    inbox: InboxRepository
    people: PeopleRepository
    reminders: ReminderRepository
    evidence: EvidenceRepository
    #: evidence bytes: in the database (same transaction), or in ``evidence_dir`` when set
    blobs: BlobStore

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        read_only: bool = False,
        evidence_dir: Path | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._read_only = read_only
        self._evidence_dir = evidence_dir

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        if self._read_only:
            self.session.connection(execution_options={READ_ONLY: True})
        self.incidents = IncidentRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.notices = NoticeRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.inbox = InboxRepository(self.session)
        self.people = PeopleRepository(self.session)
        self.reminders = ReminderRepository(self.session)
        self.evidence = EvidenceRepository(self.session)
        self.blobs = blob_store(self.session, self._evidence_dir)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        if not self._read_only:
            # A Slack request's intent being carried out is settled by the same commit as
            # the change it asked for (``leakbot.store.inbox``).
            settle_in(self.session)
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
