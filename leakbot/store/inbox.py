"""The inbox: what Slack requests asked for, recorded before they are acknowledged.

A request's intent is one small INSERT in its own transaction (``record``); a replay of the
same request finds its key taken and records nothing. After the acknowledgement a worker claims
the intent with a lease (``claim``), carries it out and settles it. A process that dies leaves
the lease to run out, and the next claim (on start, or by the sweep) carries the intent out.

Exactly once (``leakbot.services.exactly_once``): while an intent is carried out, the first write
transaction that commits also settles it, in the same transaction (``settle_in``), only if it is
still pending; a second commit of the same intent raises ``AlreadySettled`` and rolls back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.expression import Executable

from leakbot.services.exactly_once import AlreadySettled, being_carried
from leakbot.services.storage import Intent as Intent  # the Slack intake names it from here
from leakbot.services.storage import Json, PartlyRecorded
from leakbot.store.db import ONE_STATEMENT, on_its_file
from leakbot.store.driver_statements import DriverStatement
from leakbot.store.models import InboxRecord

PENDING = "pending"
DONE = "done"
FAILED = "failed"


#: What settling writes (the same for one intent and for a batch), and the statement that
#: settles one pending intent: built once, so no cache key is made again for each.
_SETTLED: dict[str, Any] = {
    "status": bindparam("p_status"),
    "last_error": bindparam("p_error"),
    "locked_until": None,
    "done_at": bindparam("p_at"),
}
_INBOX = cast(Table, InboxRecord.__table__)
_SETTLE_ONE = (
    update(_INBOX)
    .where(_INBOX.c.id == bindparam("p_id"), _INBOX.c.status == PENDING)
    .values(**_SETTLED)
)


def _settled_values(status: str, error: str | None, at: datetime) -> dict[str, Any]:
    return {"p_status": status, "p_error": error, "p_at": at}


def settle_in(session: Session) -> None:
    """Called by the unit of work just before a write commit: settle the intent being carried
    out, in that transaction. Raises ``AlreadySettled`` when someone else settled it first."""
    state = being_carried()
    if state is None or state.settled:
        return
    if not InboxRepository(session).settle(state.intent_id, DONE):
        raise AlreadySettled(f"inbox {state.intent_id} was carried out elsewhere")
    state.settled = True


class InboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        key: str,
        kind: str,
        payload: Json,
        at: datetime | None = None,
        held_until: datetime | None = None,
    ) -> int | None:
        """The new intent's id; None (and nothing recorded) when ``key`` was recorded before.

        With ``held_until`` the intent is recorded already claimed (its first attempt) until
        then, by the worker it is handed to: no claim to write, and no one else takes it
        before that lease runs out."""
        at = at or datetime.now(UTC)
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(InboxRecord)
            .values(
                key=key,
                kind=kind,
                payload=dict(payload),
                status=PENDING,
                attempts=0 if held_until is None else 1,
                created_at=at,
                locked_until=held_until,
            )
            .on_conflict_do_nothing(index_elements=[InboxRecord.key])
            .returning(InboxRecord.id)
        )
        row = self.session.execute(stmt).first()
        return int(row[0]) if row is not None else None

    def claim(self, intent_id: int, now: datetime, lease_seconds: float) -> Intent | None:
        """Lease one pending intent to this worker; None when done or leased to another."""
        found = self._claim(InboxRecord.id == intent_id, now, lease_seconds)
        return found[0] if found else None

    def claim_due(self, now: datetime, lease_seconds: float, limit: int = 20) -> list[Intent]:
        """Lease up to ``limit`` pending intents nobody holds (a dead process's, or never
        started), oldest first."""
        due = (
            select(InboxRecord.id)
            .where(_claimable(now))
            .order_by(InboxRecord.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return self._claim(InboxRecord.id.in_(due.scalar_subquery()), now, lease_seconds)

    def any_due(self, now: datetime) -> bool:
        """Whether ``claim_due`` would find anything (a read, so an idle poll writes nothing)."""
        found = self.session.scalars(select(InboxRecord.id).where(_claimable(now)).limit(1))
        return found.first() is not None

    def _claim(self, which: Any, now: datetime, lease_seconds: float) -> list[Intent]:
        stmt = (
            update(InboxRecord)
            .where(which, _claimable(now))
            .values(
                locked_until=now + timedelta(seconds=lease_seconds),
                attempts=InboxRecord.attempts + 1,
            )
            .returning(InboxRecord)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        rows = self.session.scalars(stmt).all()
        return sorted((_read(r) for r in rows), key=lambda i: i.id)

    def settle(
        self, intent_id: int, status: str, error: str | None = None, at: datetime | None = None
    ) -> bool:
        """Mark a pending intent done or failed; False when it was no longer pending."""
        values = _settled_values(status, error, at or datetime.now(UTC))
        done = self.session.execute(_SETTLE_ONE, {**values, "p_id": intent_id})
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def release(self, intent_id: int, error: str, retry_at: datetime) -> None:
        """Give a claimed intent back, to be tried again from ``retry_at``."""
        stmt = (
            update(InboxRecord)
            .where(InboxRecord.id == intent_id, InboxRecord.status == PENDING)
            .values(last_error=error, locked_until=retry_at)
        )
        self.session.execute(stmt)

    def get(self, key: str) -> Intent | None:
        row = self.session.scalars(select(InboxRecord).where(InboxRecord.key == key)).first()
        return _read(row) if row is not None else None

    def pending_count(self) -> int:
        rows = self.session.scalars(select(InboxRecord.id).where(InboxRecord.status == PENDING))
        return len(rows.all())

    def purge(self, settled_before: datetime) -> int:
        """Forget settled intents older than ``settled_before`` (their keys too: a replay that
        late is refused by the signature check anyway)."""
        stmt = delete(InboxRecord).where(
            InboxRecord.status != PENDING, InboxRecord.done_at < settled_before
        )
        return int(self.session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def _claimable(now: datetime) -> Any:
    return (InboxRecord.status == PENDING) & or_(
        InboxRecord.locked_until.is_(None), InboxRecord.locked_until <= now
    )


def _read(row: Any) -> Intent:
    """An intent from its mapped record, or a row of ``_PENDING``."""
    return Intent(
        id=row.id,
        key=row.key,
        kind=row.kind,
        payload=dict(row.payload),
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
    )


#: A pending intent, as ``_read`` reads it.
_PENDING = select(
    _INBOX.c.id,
    _INBOX.c.key,
    _INBOX.c.kind,
    _INBOX.c.payload,
    _INBOX.c.status,
    _INBOX.c.attempts,
    _INBOX.c.created_at,
).where(_INBOX.c.id == bindparam("p_id"), _INBOX.c.status == PENDING)


#: The columns an intent is recorded with.
_RECORDED = ("key", "kind", "payload", "status", "attempts", "created_at", "locked_until")


@dataclass
class _Kept:
    """The driver connection and cursor ``IntentLog`` keeps on SQLite, and a copy of its pool
    record's ``info`` (which says the file it opened)."""

    driver: PoolProxiedConnection | None = None
    cursor: DBAPICursor | None = None
    info: dict[Any, Any] = field(default_factory=dict)
    #: held while the connection is used: by one batch at a time
    lock: threading.Lock = field(default_factory=threading.Lock)


class IntentLog:
    """The inbox's bookkeeping on the hot path, written outside any unit of work: intents
    recorded and settled in batches (``leakbot.slack.recording``, ``leakbot.slack.settling``),
    with statements built once per engine (so neither a session nor a statement's cache key
    is made again for each request).

    PostgreSQL: one statement per batch, on a connection checked out for it. SQLite: one
    statement per intent, each committed on its own and told by its row count. An INSERT or
    UPDATE … RETURNING keeps SQLite's write lock until its last row has been fetched (in a
    busy process, until this thread has had the interpreter back once per row), while a
    statement alone holds it only inside the database.

    On SQLite intents are recorded and settled on the driver's own cursor, of one connection
    kept for the purpose (``_cursor``), by one batch at a time (``DriverStatement``:
    compiled once, each value made by its type, the same bytes SQLAlchemy would write); an
    intent about to be carried out is read the same way, on a connection of the pool.
    SQLAlchemy's execution of one small statement takes about three times the interpreter
    time of the write itself, and recording runs on the process that acknowledges, before the
    acknowledgement (docs/performance.md); a driver's error is raised as SQLAlchemy's.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        table = _INBOX
        c = table.c
        self._postgres = engine.dialect.name == "postgresql"
        self._record: Executable = (
            postgresql.insert(table)
            .on_conflict_do_nothing(index_elements=[c.key])
            .returning(c.key, c.id)
        )
        self._kept = _Kept()
        self._insert: DriverStatement | None = None
        self._settle_one: DriverStatement | None = None
        self._read_pending: DriverStatement | None = None
        if not self._postgres:
            self._insert = DriverStatement(
                sqlite.insert(table).on_conflict_do_nothing(index_elements=[c.key]),
                engine,
                _RECORDED,
            )
            self._settle_one = DriverStatement(_SETTLE_ONE, engine)
            self._read_pending = DriverStatement(_PENDING, engine)
        self._settle_ids = (
            update(table)
            .where(c.id.in_(bindparam("p_ids", expanding=True)), c.status == PENDING)
            .values(**_SETTLED)
            .returning(c.id)
        )

    def _cursor(self) -> DBAPICursor:
        """A cursor of the driver connection this log keeps (SQLite, in autocommit: each
        statement commits on its own; used under ``_kept.lock``), kept from one batch to the
        next: taken from the pool once and detached from it, so no batch pays for a checkout
        and a return (the pool's events, its queue, a rollback). It is opened again when the
        database file it holds was moved or removed, and after any failure (``_forget``); a
        failure to open one (the file gone, say) is raised as SQLAlchemy's error, as
        ``Engine.connect`` raises it."""
        kept = self._kept
        if kept.cursor is not None and on_its_file(kept.info):
            return kept.cursor
        self._forget()
        try:
            driver = self._engine.raw_connection()
        except sqlite3.Error as e:
            raise DBAPIError.instance(None, None, e, sqlite3.Error, hide_parameters=True) from e
        kept.info = dict(driver.info)
        driver.detach()  # closed for real when forgotten, never given back to the pool
        kept.driver, kept.cursor = driver, driver.cursor()
        return kept.cursor

    def _forget(self) -> None:
        """Close the kept connection, if any (after a failure on it)."""
        kept = self._kept
        driver, kept.driver, kept.cursor = kept.driver, None, None
        if driver is not None:
            with suppress(Exception):
                driver.close()

    def _connect(self) -> Connection:
        return self._engine.connect().execution_options(**{ONE_STATEMENT: True})

    def pending(self, intent_id: int) -> Intent | None:
        """The intent, if it is still pending: read by each thread that carries one out, on a
        connection of the pool (on SQLite, by the driver alone, with no transaction begun;
        SQLAlchemy's own execution took ten times as long, most of a carried-out refusal's
        reading)."""
        if self._read_pending is None:
            with self._engine.connect() as connection:
                row = connection.execute(_PENDING, {"p_id": intent_id}).first()
            return _read(row) if row is not None else None
        found = self._read_pending.read(self._engine, {"p_id": intent_id})
        return _read(found[0]) if found else None

    def record_many(
        self, asked: Sequence[tuple[str, str, Json]], at: datetime, held_until: datetime
    ) -> list[int | None]:
        """Several intents (key, kind, payload), each claimed until ``held_until`` (its first
        attempt); their ids in order, None for a key recorded before (or twice). If one fails
        on SQLite, ``PartlyRecorded`` tells which were recorded (and committed)."""
        if not asked:
            return []
        rows = [
            {
                "key": key,
                "kind": kind,
                "payload": dict(payload),
                "status": PENDING,
                "attempts": 1,
                "created_at": at,
                "locked_until": held_until,
            }
            for key, kind, payload in asked
        ]
        if not self._postgres:
            return self._record_on_sqlite(rows)
        with self._connect() as connection:
            done = connection.execute(self._record, rows)
            ids = {str(key): int(i) for key, i in done.all()}
            connection.commit()
        # a key twice in one batch: the first one's
        return [ids.pop(key, None) for key, _, _ in asked]

    def _record_on_sqlite(self, rows: list[dict[str, Any]]) -> list[int | None]:
        assert self._insert is not None
        found: list[int | None] = []
        with self._kept.lock:
            cursor = self._cursor()
            for row in rows:
                try:
                    self._insert.run(cursor, row)
                except SQLAlchemyError as e:
                    self._forget()
                    if found:
                        raise PartlyRecorded(found, e) from e  # those before were committed
                    raise
                # a key recorded before inserts nothing (rowcount 0); else the new row's id
                found.append(int(cursor.lastrowid or 0) if cursor.rowcount else None)
        return found

    def settle_many(
        self, outcomes: Sequence[tuple[int, str, str | None]], at: datetime
    ) -> set[int]:
        """Settle several pending intents (id, status, error); the ids that were still
        pending, and are settled now."""
        settled: set[int] = set()
        if self._settle_one is not None:  # SQLite: one UPDATE per intent, each committed alone
            with self._kept.lock:
                cursor = self._cursor()
                for intent_id, status, error in outcomes:
                    values = {**_settled_values(status, error, at), "p_id": intent_id}
                    try:
                        self._settle_one.run(cursor, values)
                    except SQLAlchemyError:
                        self._forget()
                        raise
                    if cursor.rowcount:
                        settled.add(intent_id)
            return settled
        groups: dict[tuple[str, str | None], list[int]] = {}
        for intent_id, status, error in outcomes:
            groups.setdefault((status, error), []).append(intent_id)
        with self._connect() as connection:
            for (status, error), ids in groups.items():
                values = _settled_values(status, error, at)
                done = connection.execute(self._settle_ids, {**values, "p_ids": ids})
                settled.update(int(i) for (i,) in done)
            connection.commit()
        return settled
