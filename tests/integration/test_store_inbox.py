"""The inbox on a real database: a request key is recorded once, a claim is leased to one
worker, and the commit of the change an intent asked for settles it — once, even when two
workers carried the same intent out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from leakbot.services.exactly_once import AlreadySettled, carrying
from leakbot.services.storage import PartlyRecorded
from leakbot.store.inbox import DONE, IntentLog
from leakbot.store.uow import UnitOfWork

NOW = datetime(2026, 1, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def new_uow(session_factory: sessionmaker[Session]) -> Callable[[], UnitOfWork]:
    return lambda: UnitOfWork(session_factory)


def record(new_uow: Callable[[], UnitOfWork], key: str) -> int | None:
    with new_uow() as uow:
        found = uow.inbox.record(key, "step.click", {"args": {"value": "1:confirm"}}, NOW)
        uow.commit()
    return found


def test_a_key_is_recorded_once(new_uow: Callable[[], UnitOfWork]) -> None:
    first = record(new_uow, "action:T1:1.1")
    assert first is not None
    assert record(new_uow, "action:T1:1.1") is None
    assert record(new_uow, "action:T2:1.1") not in (None, first)
    with new_uow() as uow:
        assert uow.inbox.pending_count() == 2


def test_a_claim_is_leased_to_one_worker_until_it_runs_out(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    intent_id = record(new_uow, "command:T1")
    assert intent_id is not None
    with new_uow() as uow:
        claimed = uow.inbox.claim(intent_id, NOW, 5)
        again = uow.inbox.claim(intent_id, NOW + timedelta(seconds=1), 5)
        due = uow.inbox.claim_due(NOW + timedelta(seconds=1), 5)
        uow.commit()
    assert claimed is not None and claimed.attempts == 1
    assert again is None and due == []
    with new_uow() as uow:  # the worker died: its lease runs out and another takes it
        later = uow.inbox.claim_due(NOW + timedelta(seconds=6), 5)
        uow.commit()
    assert [i.id for i in later] == [intent_id] and later[0].attempts == 2


def test_the_change_s_commit_settles_the_intent_and_a_second_carrier_rolls_back(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    intent_id = record(new_uow, "view:V1:T1")
    assert intent_id is not None
    with carrying(intent_id) as first, new_uow() as uow:
        uow.inbox.record("side-effect:1", "probe", {}, NOW)  # stands for the change
        uow.commit()
    assert first.settled
    with carrying(intent_id), new_uow() as uow:
        uow.inbox.record("side-effect:2", "probe", {}, NOW)
        with pytest.raises(AlreadySettled):
            uow.commit()
    with new_uow() as uow:
        assert uow.inbox.get("view:V1:T1").status == DONE  # type: ignore[union-attr]
        assert uow.inbox.get("side-effect:1") is not None
        assert uow.inbox.get("side-effect:2") is None  # the second change never landed


def test_a_pending_intent_is_read_as_its_mapped_record_reads_and_a_settled_one_not_at_all(
    new_uow: Callable[[], UnitOfWork], session_factory: sessionmaker[Session]
) -> None:
    at = datetime(2026, 1, 22, 17, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
    payload = {"args": {"value": "1:confirm", "n": 3}, "reply": {"user": "U1"}, "zh": "保险杠"}
    with new_uow() as uow:
        intent_id = uow.inbox.record("action:R1:1.1", "step.click", payload, at)
        uow.commit()
    assert intent_id is not None
    log = IntentLog(session_factory.kw["bind"])
    read = log.pending(intent_id)
    with new_uow() as uow:
        mapped = uow.inbox.get("action:R1:1.1")
    assert read == mapped
    assert read is not None and read.payload == payload and read.created_at == at
    assert read.created_at.tzinfo is not None
    assert log.pending(intent_id + 1000) is None
    assert log.settle_many([(intent_id, DONE, None)], NOW) == {intent_id}
    assert log.pending(intent_id) is None


def test_settled_intents_are_purged_after_a_while(new_uow: Callable[[], UnitOfWork]) -> None:
    intent_id = record(new_uow, "command:T9")
    assert intent_id is not None
    with new_uow() as uow:
        assert uow.inbox.settle(intent_id, DONE, at=NOW)
        assert not uow.inbox.settle(intent_id, DONE, at=NOW)  # settled once
        assert uow.inbox.purge(NOW - timedelta(days=1)) == 0
        assert uow.inbox.purge(NOW + timedelta(seconds=1)) == 1
        uow.commit()


def test_intents_recorded_together_get_their_ids_in_order_and_a_key_seen_before_none(
    session_factory: sessionmaker[Session],
) -> None:
    first = record(lambda: UnitOfWork(session_factory), "command:T0")
    asked = [
        ("command:T1", "report.open", {"args": {}}),
        ("command:T0", "report.open", {"args": {}}),  # recorded before
        ("command:T2", "report.open", {"args": {}}),
        ("command:T1", "report.open", {"args": {}}),  # twice in one batch: the first one's
    ]
    ids = IntentLog(session_factory.kw["bind"]).record_many(asked, NOW, NOW + timedelta(seconds=15))
    assert ids[1] is None and ids[3] is None
    assert ids[0] is not None and ids[2] is not None
    assert len({first, ids[0], ids[2]}) == 3
    log = IntentLog(session_factory.kw["bind"])
    for intent_id, (key, _, _) in zip(ids, asked, strict=True):
        if intent_id is not None:
            intent = log.pending(intent_id)
            assert intent is not None and intent.key == key and intent.attempts == 1
    with UnitOfWork(session_factory) as uow:
        assert uow.inbox.pending_count() == 3


def test_recording_that_fails_part_way_tells_which_intents_stand(
    session_factory: sessionmaker[Session],
) -> None:
    if session_factory.kw["bind"].dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the intents are one statement: all or nothing")
    asked = [
        ("command:P1", "report.open", {"args": {}}),
        ("command:P2", "report.open", {"args": {"bad": object()}}),  # cannot be stored
        ("command:P3", "report.open", {"args": {}}),
    ]
    with pytest.raises(PartlyRecorded) as caught:
        IntentLog(session_factory.kw["bind"]).record_many(asked, NOW, NOW + timedelta(seconds=15))
    assert len(caught.value.recorded) == 1
    (kept,) = caught.value.recorded
    with UnitOfWork(session_factory) as uow:
        assert uow.inbox.pending_count() == 1
    intent = IntentLog(session_factory.kw["bind"]).pending(kept or 0)
    assert intent is not None and intent.key == "command:P1"


def test_settling_together_tells_which_intents_were_still_pending(
    new_uow: Callable[[], UnitOfWork], session_factory: sessionmaker[Session]
) -> None:
    a, b, c = (record(new_uow, f"action:S{i}:1.1") for i in range(3))
    assert a is not None and b is not None and c is not None
    with new_uow() as uow:
        assert uow.inbox.settle(b, DONE)
        uow.commit()
    outcomes = [(a, DONE, None), (b, DONE, None), (c, "failed", "x")]
    settled = IntentLog(session_factory.kw["bind"]).settle_many(outcomes, NOW)
    assert settled == {a, c}
    with new_uow() as uow:
        assert uow.inbox.pending_count() == 0


def test_an_intent_recorded_in_a_batch_is_stored_as_the_repository_stores_it(
    session_factory: sessionmaker[Session],
) -> None:
    """On SQLite the batch writes on the driver's cursor; each value must still be what
    SQLAlchemy's column types make of it (UTC text times, the same JSON)."""
    at = datetime(2026, 12, 2, 20, 1, 2, 345678, tzinfo=timezone(timedelta(hours=8)))
    payload = {"args": {"title": "保险杠草图 ✓"}, "reply": {"user": "U1"}, "trigger_id": None}
    held = at + timedelta(seconds=15)
    with UnitOfWork(session_factory) as uow:
        uow.inbox.record("command:R1", "report.open", payload, at, held)
        uow.commit()
    IntentLog(session_factory.kw["bind"]).record_many(
        [("command:R2", "report.open", payload)], at, held
    )
    columns = "kind, payload, status, attempts, created_at, locked_until, last_error, done_at"
    with session_factory.kw["bind"].connect() as connection:
        # the stored values themselves, as text, not as SQLAlchemy reads them back
        rows = connection.exec_driver_sql(
            f"SELECT key, {', '.join(f'CAST({c} AS TEXT)' for c in columns.split(', '))} "
            "FROM inbox WHERE key IN ('command:R1', 'command:R2') ORDER BY key"
        ).all()
    assert [r[0] for r in rows] == ["command:R1", "command:R2"]
    assert rows[0][1:] == rows[1][1:]
    with UnitOfWork(session_factory) as uow:
        intent = uow.inbox.get("command:R2")
        assert intent is not None and intent.payload == payload
        assert intent.created_at == at and intent.attempts == 1


def test_a_batch_the_database_refuses_raises_sqlalchemys_error_without_its_values(
    session_factory: sessionmaker[Session],
) -> None:
    """The app's error handler tells the person nothing was done when recording raises one of
    the store's errors; the message must not carry what the person typed."""
    engine = session_factory.kw["bind"]
    log = IntentLog(engine)  # built while the table is there
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE inbox RENAME TO inbox_gone")
    try:
        with pytest.raises(SQLAlchemyError) as caught:
            log.record_many([("command:E1", "report.open", {"args": {"secret": "Q7"}})], NOW, NOW)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE inbox_gone RENAME TO inbox")
    assert "Q7" not in str(caught.value)


def test_an_intent_settled_in_a_batch_is_stored_as_the_repository_settles_it(
    new_uow: Callable[[], UnitOfWork], session_factory: sessionmaker[Session]
) -> None:
    a, b = record(new_uow, "action:V1:1.1"), record(new_uow, "action:V2:1.1")
    assert a is not None and b is not None
    at = datetime(2026, 12, 2, 20, 5, 6, 789012, tzinfo=timezone(timedelta(hours=8)))
    with new_uow() as uow:
        assert uow.inbox.settle(a, "failed", "SlackApiError", at)
        uow.commit()
    assert IntentLog(session_factory.kw["bind"]).settle_many([(b, "failed", "SlackApiError")], at)
    columns = ("status", "last_error", "locked_until", "done_at")
    with session_factory.kw["bind"].connect() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT {', '.join(f'CAST({c} AS TEXT)' for c in columns)} FROM inbox "
            f"WHERE id IN ({a}, {b}) ORDER BY id"
        ).all()
    assert len(rows) == 2 and rows[0] == rows[1]
    assert rows[0][0] == "failed" and rows[0][2] is None
