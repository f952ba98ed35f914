"""Slack work owed, recorded in the same transaction as the change that owes it.

A use case adds items; after commit an executor claims a batch (with a lease, so a crashed
worker's items come back), calls Slack, and marks each done, to retry, or failed. A key makes
adding idempotent: replaying a Slack request cannot queue the same message twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from leakbot.domain.errors import NotFound
from leakbot.services.storage import Json, OutboxItem
from leakbot.store.models import OutboxRecord

PENDING = "pending"
DONE = "done"
FAILED = "failed"


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        kind: str,
        payload: Json,
        incident_id: int | None = None,
        key: str | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Queue work; False (and nothing queued) when ``key`` was queued before."""
        at = at or datetime.now(UTC)
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(OutboxRecord)
            .values(
                incident_id=incident_id,
                kind=kind,
                key=key,
                payload=dict(payload),
                status=PENDING,
                attempts=0,
                next_attempt_at=at,
                created_at=at,
            )
            .on_conflict_do_nothing(index_elements=[OutboxRecord.key])
            .returning(OutboxRecord.id)
        )
        return self.session.execute(stmt).first() is not None

    def claim(self, now: datetime, limit: int = 10, lease_seconds: float = 60) -> list[OutboxItem]:
        """Lease up to ``limit`` due items to this worker; no two workers get the same item.

        PostgreSQL skips rows another worker has locked (``FOR UPDATE SKIP LOCKED``); SQLite
        serialises writers, and the update re-checks the lease, so a claim is never doubled.
        """
        claimable = (
            (OutboxRecord.status == PENDING)
            & (OutboxRecord.next_attempt_at <= now)
            & or_(OutboxRecord.locked_until.is_(None), OutboxRecord.locked_until <= now)
        )
        due = (
            select(OutboxRecord.id)
            .where(claimable)
            .order_by(OutboxRecord.next_attempt_at, OutboxRecord.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(OutboxRecord)
            .where(OutboxRecord.id.in_(due.scalar_subquery()), claimable)
            .values(
                locked_until=now + timedelta(seconds=lease_seconds),
                attempts=OutboxRecord.attempts + 1,
            )
            .returning(OutboxRecord)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        rows = self.session.scalars(stmt).all()
        return sorted((_read(r) for r in rows), key=lambda i: (i.next_attempt_at, i.id))

    def mark_done(
        self, item_id: int, result: Json | None = None, at: datetime | None = None
    ) -> None:
        self._set(
            item_id,
            status=DONE,
            result=dict(result) if result is not None else None,
            locked_until=None,
            done_at=at or datetime.now(UTC),
        )

    def mark_retry(self, item_id: int, error: str, next_attempt_at: datetime) -> None:
        self._set(
            item_id,
            status=PENDING,
            last_error=error,
            next_attempt_at=next_attempt_at,
            locked_until=None,
        )

    def mark_failed(self, item_id: int, error: str, at: datetime | None = None) -> None:
        self._set(
            item_id,
            status=FAILED,
            last_error=error,
            locked_until=None,
            done_at=at or datetime.now(UTC),
        )

    def pending_count(self) -> int:
        stmt = select(func.count()).select_from(OutboxRecord).where(OutboxRecord.status == PENDING)
        return int(self.session.scalar(stmt) or 0)

    def get(self, item_id: int) -> OutboxItem:
        row = self.session.get(OutboxRecord, item_id, populate_existing=True)
        if row is None:
            raise NotFound("There is no such outbox item.")
        return _read(row)

    def by_key(self, key: str) -> OutboxItem | None:
        row = self.session.scalars(select(OutboxRecord).where(OutboxRecord.key == key)).first()
        return _read(row) if row is not None else None

    def _set(self, item_id: int, **values: Any) -> None:
        stmt = update(OutboxRecord).where(OutboxRecord.id == item_id).values(**values)
        if self.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
            raise NotFound("There is no such outbox item.")


def _read(row: OutboxRecord) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        incident_id=row.incident_id,
        kind=row.kind,
        key=row.key,
        payload=dict(row.payload),
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        locked_until=row.locked_until,
        last_error=row.last_error,
        result=row.result,
        created_at=row.created_at,
        done_at=row.done_at,
    )
