"""Recording before acknowledging, on a real database: the recording thread acknowledges each
request once its intent is committed (so Bolt sees the acknowledgement without waiting for the
listener's thread to run again), and never one whose intent could not be written."""

from __future__ import annotations

import threading
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


def test_the_recording_thread_acknowledges_once_the_intent_is_committed(
    deps: Any, engine: Engine
) -> None:
    recorder = Recorder(deps, timedelta(seconds=15))
    seen: list[tuple[str, int]] = []

    def acknowledge() -> None:
        seen.append((threading.current_thread().name, committed(engine, "command:A1")))

    first = recorder.record("command:A1", "report.open", {"args": {}}, acknowledge)
    assert first is not None
    assert seen == [("record", 1)]
    # the same request again (a replay, a retry): acknowledged the same way, nothing recorded
    assert recorder.record("command:A1", "report.open", {"args": {}}, acknowledge) is None
    assert seen == [("record", 1), ("record", 1)]


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
