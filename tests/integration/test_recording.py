"""Recording before acknowledging, on a real database: the thread that writes a batch
acknowledges each of its requests once their intents are committed (a request alone is written
and acknowledged on its own listener's thread; many at once, a batch at a time by whichever of
their threads writes), and never one whose intent could not be written."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from leakbot.slack.recording import Recorder
from leakbot.store.db import READ_ONLY


def committed(engine: Engine, key: str) -> int:
    """Rows with ``key`` that another connection sees: only committed ones."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        found = connection.exec_driver_sql(f"SELECT count(*) FROM inbox WHERE key = '{key}'")
        return int(found.scalar_one())


def test_a_request_alone_is_recorded_and_acknowledged_on_its_own_thread(
    deps: Any, engine: Engine
) -> None:
    seen: list[tuple[str, int]] = []
    me = threading.current_thread().name

    def acknowledge() -> None:
        seen.append((threading.current_thread().name, committed(engine, "command:A1")))

    def hand(handed: Sequence[tuple[int, bool]]) -> None:
        seen.append((f"handed {list(handed)}", committed(engine, "command:A1")))

    recorder = Recorder(deps, timedelta(seconds=15), hand)
    first = recorder.record("command:A1", "report.open", {"args": {}}, acknowledge, True)
    assert first is not None
    # committed before it was acknowledged, with no other thread; handed over after that
    assert seen == [(me, 1), (f"handed {[(first, True)]}", 1)]
    # the same request again (a replay, a retry): acknowledged the same way, nothing recorded,
    # nothing handed over
    assert recorder.record("command:A1", "report.open", {"args": {}}, acknowledge) is None
    assert seen == [(me, 1), (f"handed {[(first, True)]}", 1), (me, 1)]


def test_a_hand_over_that_fails_leaves_the_request_recorded_and_acknowledged(
    deps: Any, engine: Engine
) -> None:
    """The intent is claimed for its worker; that worker's poll finds it after its hold."""
    acknowledged: list[bool] = []

    def hand(handed: Sequence[tuple[int, bool]]) -> None:
        raise OSError("the worker is gone")

    recorder = Recorder(deps, timedelta(seconds=15), hand)
    got = recorder.record("command:H1", "report.open", {}, lambda: acknowledged.append(True))
    assert got is not None
    assert acknowledged == [True]
    assert committed(engine, "command:H1") == 1


def test_requests_at_once_are_each_acknowledged_after_their_commit(
    deps: Any, engine: Engine
) -> None:
    """Forty listeners at once: every intent recorded once, each request acknowledged once and
    only after its own row was committed, and at least one batch written for others; each
    batch handed over in one go, the trigger-bound intents first."""
    handovers: list[list[tuple[int, bool]]] = []
    recorder = Recorder(deps, timedelta(seconds=15), lambda h: handovers.append(list(h)))
    start = threading.Barrier(40)
    acknowledged: dict[str, tuple[str, int]] = {}
    ids: dict[str, int | None] = {}

    def listener(n: int) -> None:
        key = f"command:M{n}"

        def acknowledge() -> None:
            acknowledged[key] = (threading.current_thread().name, committed(engine, key))

        start.wait()
        ids[key] = recorder.record(key, "report.open", {"args": {"n": n}}, acknowledge, n % 2 == 0)

    threads = [threading.Thread(target=listener, args=(n,), name=f"l{n}") for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(ids) == sorted(acknowledged) == sorted(f"command:M{n}" for n in range(40))
    assert all(isinstance(i, int) for i in ids.values())
    assert len(set(ids.values())) == 40
    assert all(rows == 1 for _, rows in acknowledged.values())
    written_for_others = [k for k, (by, _) in acknowledged.items() if by != f"l{k[9:]}"]
    assert written_for_others, "no batch held more than its writer's own request"
    # every intent handed over once, with whether it is bound to a trigger
    by_id = {i: n for n in range(40) if (i := ids[f"command:M{n}"]) is not None}
    handed = [h for batch in handovers for h in batch]
    assert sorted(handed) == sorted((i, n % 2 == 0) for i, n in by_id.items())
    assert len(handovers) < 40  # some batches held several
    for batch in handovers:  # within a batch, the trigger-bound ones first
        bound = [trigger_bound for _, trigger_bound in batch]
        assert bound == sorted(bound, reverse=True)


def test_a_request_whose_intent_cannot_be_written_is_not_acknowledged(
    deps: Any, engine: Engine
) -> None:
    recorder = Recorder(deps, timedelta(seconds=15))
    acknowledged: list[bool] = []
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE inbox RENAME TO inbox_gone")
    try:
        with pytest.raises(SQLAlchemyError):
            recorder.record("command:B1", "report.open", {}, lambda: acknowledged.append(True))
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE inbox_gone RENAME TO inbox")
    assert acknowledged == []


def test_an_acknowledgement_that_fails_reaches_the_listener(deps: Any, engine: Engine) -> None:
    """The listener raises it to the app's error handler, as when it acknowledged itself."""
    recorder = Recorder(deps, timedelta(seconds=15))

    def acknowledge() -> None:
        raise RuntimeError("the answer could not be built")

    with pytest.raises(RuntimeError, match="could not be built"):
        recorder.record("command:C1", "report.open", {}, acknowledge)
    assert committed(engine, "command:C1") == 1  # recorded: it is carried out by a later claim
