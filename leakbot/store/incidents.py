"""Incidents and their steps: rows in, plain domain values out, and back again.

The domain's ``Incident`` never holds a session; ``save`` writes its changed fields back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, object_session

from leakbot.domain.errors import NotFound
from leakbot.domain.incident import (
    Facts,
    Incident,
    IncidentStatus,
    StepState,
    StepStatus,
    format_ref,
)
from leakbot.domain.playbook import Playbook
from leakbot.services.storage import DuplicateKey, IncidentLinks
from leakbot.store.driver_statements import DriverStatement
from leakbot.store.models import CounterRecord, IncidentRecord, StepStateRecord

INCIDENT_COUNTER = "incident"


LINK_FIELDS = frozenset(f.name for f in fields(IncidentLinks))


def bump_counter(session: Session, name: str) -> int:
    """Add one to a counter and return the new value, creating it at 1.

    The row stays locked until the transaction ends, so numbers are handed out one at a time,
    and a rolled-back transaction gives its number back: no gaps, no duplicates.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(CounterRecord)
        .values(name=name, value=1)
        .on_conflict_do_update(
            index_elements=[CounterRecord.name], set_={"value": CounterRecord.value + 1}
        )
        .returning(CounterRecord.value)
    )
    return int(session.execute(stmt).scalar_one())


class IncidentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next_number(self) -> int:
        return bump_counter(self.session, INCIDENT_COUNTER)

    def add(self, incident: Incident, idempotency_key: str | None = None) -> Incident:
        record = IncidentRecord(
            number=incident.number,
            idempotency_key=idempotency_key,
            playbook_id=incident.playbook.id,
            playbook=incident.playbook.to_dict(),
            opened_at=incident.opened_at,
            last_activity_at=incident.opened_at,
            audit_count=0,
        )
        _write(record, incident)
        try:
            with self.session.begin_nested():
                self.session.add(record)
        except IntegrityError as e:
            if idempotency_key is not None and "idempotency" in str(e.orig).lower():
                raise DuplicateKey(idempotency_key) from None
            raise
        incident.id = record.id
        return incident

    def get(self, number: int, for_update: bool = False) -> Incident:
        """The incident numbered ``number``; ``for_update`` locks its row until commit so two
        clicks on the same incident are applied one after the other."""
        if not for_update:
            found = self._peek(number)
        else:
            record = self._one(IncidentRecord.number == number, for_update)
            found = _read(record) if record is not None else None
        if found is None:
            raise NotFound(f"There is no incident {format_ref(number)}.")
        return found

    def _peek(self, number: int) -> Incident | None:
        """The incident, read as rows (one query; the playbook only if not parsed yet) rather
        than as mapped objects, which takes the interpreter about twice as long: the checks
        before a modal opens read an incident for every click (docs/performance.md)."""
        rows = self.session.execute(_PEEK, {"number": number}).all()

        def load(incident_id: int) -> dict[str, Any]:
            return dict(self.session.execute(_PLAYBOOK, {"id": incident_id}).scalar_one())

        return _peeked(rows, str(self.session.get_bind().engine.url), load)

    def get_by_id(self, incident_id: int, for_update: bool = False) -> Incident:
        return _read(self._record(incident_id, for_update))

    def by_idempotency_key(self, key: str) -> Incident | None:
        record = self._one(IncidentRecord.idempotency_key == key)
        return _read(record) if record else None

    def by_channel(self, channel_id: str) -> Incident | None:
        record = self._one(IncidentRecord.channel_id == channel_id)
        return _read(record) if record else None

    def save(self, incident: Incident) -> None:
        if incident.id is None:
            raise ValueError("save() needs an incident that was added first")
        record = self._record(incident.id)
        _write(record, incident)
        self.session.flush()

    def list_open(self) -> list[Incident]:
        stmt = (
            select(IncidentRecord)
            .options(defer(IncidentRecord.playbook))
            .where(IncidentRecord.status == IncidentStatus.OPEN.value)
            .order_by(IncidentRecord.number)
        )
        return [_read(r) for r in self.session.scalars(stmt)]

    def list_recent(self, limit: int = 20) -> list[Incident]:
        """Newest first, open or not."""
        stmt = (
            select(IncidentRecord)
            .options(defer(IncidentRecord.playbook))
            .order_by(IncidentRecord.number.desc())
            .limit(limit)
        )
        return [_read(r) for r in self.session.scalars(stmt)]

    def overdue(self, now: datetime) -> list[tuple[int, str]]:
        """(incident number, step id) of every ready step of an open incident past its due time."""
        stmt = (
            select(IncidentRecord.number, StepStateRecord.step_id)
            .join(StepStateRecord.incident)
            .where(
                StepStateRecord.status == StepStatus.READY.value,
                StepStateRecord.due_at <= now,
                IncidentRecord.status == IncidentStatus.OPEN.value,
            )
            .order_by(StepStateRecord.due_at, IncidentRecord.number)
        )
        return [(n, s) for n, s in self.session.execute(stmt)]

    def idle(self, since: datetime) -> list[int]:
        """Numbers of open incidents with no activity since ``since``."""
        stmt = (
            select(IncidentRecord.number)
            .where(
                IncidentRecord.status == IncidentStatus.OPEN.value,
                IncidentRecord.last_activity_at < since,
            )
            .order_by(IncidentRecord.number)
        )
        return list(self.session.scalars(stmt))

    def channels(self, incident_ids: list[int]) -> dict[int, str]:
        """incident id -> channel id, for those whose channel is open; one query."""
        if not incident_ids:
            return {}
        rows = self.session.execute(
            select(IncidentRecord.id, IncidentRecord.channel_id).where(
                IncidentRecord.id.in_(incident_ids), IncidentRecord.channel_id.is_not(None)
            )
        )
        return {int(i): str(c) for i, c in rows}

    def links(self, incident_id: int) -> IncidentLinks:
        r = self.session.execute(
            select(
                IncidentRecord.channel_id,
                IncidentRecord.channel_name,
                IncidentRecord.checklist_ts,
                IncidentRecord.kickoff_ts,
                IncidentRecord.announced_at,
            ).where(IncidentRecord.id == incident_id)
        ).one_or_none()
        if r is None:
            raise NotFound(f"There is no incident with id {incident_id}.")
        return IncidentLinks(*r)

    def set_links(self, incident_id: int, **values: str | datetime | None) -> None:
        unknown = set(values) - LINK_FIELDS
        if unknown:
            raise TypeError(f"not a Slack link of an incident: {', '.join(sorted(unknown))}")
        self._update(incident_id, values)

    def touch(self, incident_id: int, at: datetime) -> None:
        self._update(incident_id, {"last_activity_at": at})

    # --- helpers --------------------------------------------------------------------------
    def _update(self, incident_id: int, values: dict[str, Any]) -> None:
        if not values:
            return
        stmt = update(IncidentRecord).where(IncidentRecord.id == incident_id).values(**values)
        if self.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
            raise NotFound(f"There is no incident with id {incident_id}.")

    def _record(self, incident_id: int, for_update: bool = False) -> IncidentRecord:
        record = self._one(IncidentRecord.id == incident_id, for_update)
        if record is None:
            raise NotFound(f"There is no incident with id {incident_id}.")
        return record

    def _one(self, where: ColumnElement[bool], for_update: bool = False) -> IncidentRecord | None:
        # The frozen playbook is loaded only when this process has not parsed it yet.
        stmt = select(IncidentRecord).where(where).options(defer(IncidentRecord.playbook))
        if for_update:
            # Read the row afresh once it is locked: an older copy may sit in the session.
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).one_or_none()


def _write(record: IncidentRecord, incident: Incident) -> None:
    facts = incident.facts
    record.number = incident.number
    record.title = facts.title
    record.asset = facts.asset
    record.title_zh = facts.title_zh
    record.asset_zh = facts.asset_zh
    record.where_seen = list(facts.where_seen)
    record.discovered_at = facts.discovered_at
    record.severity = facts.severity
    record.description = facts.description
    record.supplier_id = facts.supplier_id
    record.status = incident.status.value
    record.reporter = incident.reporter
    record.commander = incident.commander
    record.closed_at = incident.closed_at
    record.closed_by = incident.closed_by
    record.close_reason = incident.close_reason
    existing = {s.step_id: s for s in record.steps}
    for step_id, state in incident.steps.items():
        row = existing.pop(step_id, None)
        if row is None:
            row = StepStateRecord(step_id=step_id)
            record.steps.append(row)
        row.status = state.status.value
        row.ready_at = state.ready_at
        row.due_at = state.due_at
        row.done_by = state.done_by
        row.done_at = state.done_at
        row.inputs = dict(state.inputs)
        row.note = state.note
    for gone in existing.values():
        record.steps.remove(gone)


#: Parsed frozen playbooks by (database, incident id): an incident's copy never changes, and
#: parsing it is most of the cost of reading an incident.
_PLAYBOOKS: dict[tuple[str, int], Playbook] = {}
_PLAYBOOKS_LOCK = threading.Lock()
_PLAYBOOKS_MAX = 2048


def _playbook(record: IncidentRecord) -> Playbook:
    session = object_session(record)
    bind = session.get_bind() if session is not None else None
    where = str(bind.engine.url) if bind is not None else ""
    return _playbook_of(where, record.id, lambda: record.playbook)


class IncidentPeek:
    """Incidents read outside any unit of work, as they stand (no lock, nothing written), for
    the checks a click asks before its modal opens or its refusal is told: the same one query
    as ``IncidentRepository.get`` reads, on SQLite run by the driver alone
    (``DriverStatement``), where a unit of work and SQLAlchemy's execution took about three
    quarters of the time of the whole read."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._where = str(engine.url)
        on_sqlite = engine.dialect.name == "sqlite"
        self._driver = DriverStatement(_PEEK, engine) if on_sqlite else None

    def get(self, number: int) -> Incident:
        rows: Sequence[Any]
        if self._driver is not None:
            rows = self._driver.read(self._engine, {"number": number})
        else:
            with self._engine.connect() as connection:
                rows = connection.execute(_PEEK, {"number": number}).all()
        found = _peeked(rows, self._where, self._playbook)
        if found is None:
            raise NotFound(f"There is no incident {format_ref(number)}.")
        return found

    def _playbook(self, incident_id: int) -> dict[str, Any]:
        with self._engine.connect() as connection:
            return dict(connection.execute(_PLAYBOOK, {"id": incident_id}).scalar_one())


def _peeked(
    rows: Sequence[Any], where: str, load: Callable[[int], dict[str, Any]]
) -> Incident | None:
    """An incident from its rows of ``_PEEK`` (None when there are none); ``load`` reads its
    frozen playbook (by the incident's id) when this process has not parsed it yet."""
    if not rows:
        return None
    head = rows[0]
    steps = [_step(r, r.step_status) for r in rows if r.step_id is not None]
    return _incident(head, steps, _playbook_of(where, head.id, lambda: load(head.id)))


def _playbook_of(where: str, incident_id: int, load: Callable[[], dict[str, Any]]) -> Playbook:
    """The parsed frozen playbook of an incident of the database at ``where``; ``load`` reads
    it when it is not parsed yet."""
    key = (where, incident_id)
    with _PLAYBOOKS_LOCK:
        found = _PLAYBOOKS.get(key)
    if found is None:
        found = Playbook.from_dict(load())
        with _PLAYBOOKS_LOCK:
            if len(_PLAYBOOKS) >= _PLAYBOOKS_MAX:
                _PLAYBOOKS.pop(next(iter(_PLAYBOOKS)))
            _PLAYBOOKS[key] = found
    return found


def _read(record: IncidentRecord) -> Incident:
    return _incident(record, [_step(s, s.status) for s in record.steps], _playbook(record))


_INCIDENTS = IncidentRecord.__table__.c
_STEPS = StepStateRecord.__table__.c
#: An incident's columns (its frozen playbook aside), with each of its steps' (their status as
#: ``step_status``): one row per step.
_PEEK = (
    select(
        *(c for c in _INCIDENTS if c.key != "playbook"),
        _STEPS.step_id,
        _STEPS.status.label("step_status"),
        _STEPS.ready_at,
        _STEPS.due_at,
        _STEPS.done_by,
        _STEPS.done_at,
        _STEPS.inputs,
        _STEPS.note,
    )
    .outerjoin(StepStateRecord.__table__, _STEPS.incident_id == _INCIDENTS.id)
    .where(_INCIDENTS.number == bindparam("number"))
    .order_by(_STEPS.id)  # as the mapped record's steps come
)
#: An incident's frozen playbook.
_PLAYBOOK = select(IncidentRecord.playbook).where(IncidentRecord.id == bindparam("id"))


def _incident(record: Any, states: Iterable[StepState], playbook: Playbook) -> Incident:
    """An incident from its row (a mapped record, or a row of ``_PEEK``) and its steps."""
    by_id = {s.step_id: s for s in states}
    known = [s.id for s in playbook.steps]
    order = [k for k in known if k in by_id] + [k for k in by_id if k not in known]
    steps = {step_id: by_id[step_id] for step_id in order}
    return Incident(
        id=record.id,
        number=record.number,
        facts=Facts(
            title=record.title,
            asset=record.asset,
            where_seen=tuple(record.where_seen or ()),
            discovered_at=record.discovered_at,
            severity=record.severity,
            description=record.description,
            supplier_id=record.supplier_id,
            title_zh=record.title_zh or "",
            asset_zh=record.asset_zh or "",
        ),
        reporter=record.reporter,
        commander=record.commander,
        playbook=playbook,
        opened_at=record.opened_at,
        steps=steps,
        status=IncidentStatus(record.status),
        closed_at=record.closed_at,
        closed_by=record.closed_by,
        close_reason=record.close_reason,
    )


def _step(row: Any, status: str) -> StepState:
    """A step's state from its row (a mapped record, or a row of ``_PEEK``)."""
    return StepState(
        step_id=row.step_id,
        status=StepStatus(status),
        ready_at=row.ready_at,
        due_at=row.due_at,
        done_by=row.done_by,
        done_at=row.done_at,
        inputs=dict(row.inputs or {}),
        note=row.note,
    )
