"""Slack users' names as notices show them: a cache filled from ``users.info`` by the outbox.

Rendering a notice reads names from here and never calls Slack. A use case that meets a person
whose name is unknown or old owes a lookup (``claim_lookups``), once per person however many
actions arrive together; the lookup writes the name back (``remember``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from leakbot.store.models import PersonRecord


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """user id -> name, for those whose name is known."""
        wanted = sorted({u for u in user_ids if u})
        if not wanted:
            return {}
        rows = self.session.execute(
            select(PersonRecord.user_id, PersonRecord.name).where(
                PersonRecord.user_id.in_(wanted), PersonRecord.name.is_not(None)
            )
        )
        return {user_id: name for user_id, name in rows if name}

    def claim_lookups(
        self, user_ids: Iterable[str], now: datetime, fresh_for: timedelta, retry_after: timedelta
    ) -> list[str]:
        """The people whose name is unknown or older than ``fresh_for`` and who were not asked
        about in the last ``retry_after``; they are marked as asked about now."""
        wanted = sorted({u for u in user_ids if u})
        if not wanted:
            return []
        insert = (
            postgresql.insert
            if self.session.get_bind().dialect.name == "postgresql"
            else sqlite.insert
        )
        # Make sure each person has a row, so the update below can lock and claim it.
        self.session.execute(
            insert(PersonRecord)
            .values([{"user_id": u} for u in wanted])
            .on_conflict_do_nothing(index_elements=[PersonRecord.user_id])
        )
        stale = or_(PersonRecord.fetched_at.is_(None), PersonRecord.fetched_at < now - fresh_for)
        idle = or_(PersonRecord.asked_at.is_(None), PersonRecord.asked_at < now - retry_after)
        rows = self.session.scalars(
            select(PersonRecord)
            .where(PersonRecord.user_id.in_(wanted), stale, idle)
            .with_for_update()
        ).all()
        for row in rows:
            row.asked_at = now
        self.session.flush()
        return sorted(row.user_id for row in rows)

    def stale(self, now: datetime, fresh_for: timedelta, limit: int = 100) -> list[str]:
        """People whose name is older than ``fresh_for`` (for the scheduler's refresh)."""
        return list(
            self.session.scalars(
                select(PersonRecord.user_id)
                .where(PersonRecord.fetched_at < now - fresh_for)
                .order_by(PersonRecord.fetched_at)
                .limit(limit)
            )
        )

    def remember(self, user_id: str, name: str | None, now: datetime) -> None:
        """What Slack answered; ``None`` when it knows no such person (asked again later)."""
        row = self.session.get(PersonRecord, user_id)
        if row is None:
            row = PersonRecord(user_id=user_id)
            self.session.add(row)
        if name:
            row.name = name
        row.fetched_at = now
        self.session.flush()
