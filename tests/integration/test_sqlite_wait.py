"""A SQLite connection made by leakbot waits for a lock another connection holds, in fine
steps, up to its deadline; then it fails as SQLite would."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from leakbot.store.db import ONE_STATEMENT, make_engine
from leakbot.store.sqlite_wait import connect


def _hold_write_lock(path: Path, seconds: float, taken: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None, timeout=5)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t (a) VALUES ('other')")
        taken.set()
        time.sleep(seconds)
        other.execute("COMMIT")
    finally:
        other.close()


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "wait.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (a TEXT)")
    setup.close()
    return path


def test_a_statement_on_its_own_waits_for_the_lock_then_is_written(db_file: Path) -> None:
    taken = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_file, 0.2, taken))
    holder.start()
    taken.wait(5)
    conn = connect(f"file:{db_file}", wait_seconds=2.0)
    conn.isolation_level = None
    try:
        conn.cursor().execute("INSERT INTO t (a) VALUES ('mine')")
    finally:
        holder.join()
    rows = sorted(r[0] for r in conn.cursor().execute("SELECT a FROM t"))
    conn.close()
    assert rows == ["mine", "other"]


def test_past_its_deadline_a_statement_fails_as_locked_and_writes_nothing(db_file: Path) -> None:
    taken = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_file, 0.5, taken))
    holder.start()
    taken.wait(5)
    conn = connect(f"file:{db_file}", wait_seconds=0.1)
    conn.isolation_level = None
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            conn.cursor().execute("INSERT INTO t (a) VALUES ('mine')")
    finally:
        holder.join()
    rows = [r[0] for r in conn.cursor().execute("SELECT a FROM t")]
    conn.close()
    assert rows == ["other"]


def test_a_write_inside_a_transaction_is_not_tried_again(db_file: Path) -> None:
    """Only a statement that can be tried again unchanged is: inside a deferred transaction
    that has read, SQLite's "locked" is final."""
    conn = connect(f"file:{db_file}", wait_seconds=2.0)
    conn.isolation_level = None
    cur = conn.cursor()
    cur.execute("BEGIN")
    cur.execute("SELECT count(*) FROM t").fetchall()
    taken = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_file, 0.3, taken))
    holder.start()
    taken.wait(5)
    try:
        with pytest.raises(sqlite3.OperationalError):
            cur.execute("INSERT INTO t (a) VALUES ('mine')")
        assert holder.is_alive()  # raised while the lock was still held, not after
    finally:
        cur.execute("ROLLBACK")
        holder.join()
        conn.close()


def test_the_request_path_engine_waits_for_the_other_process_s_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'engine.db'}"
    quick: Engine = make_engine(url, pool_size=2, request_path=True)
    try:
        with quick.begin() as conn:
            conn.execute(text("CREATE TABLE t (a TEXT)"))
        taken = threading.Event()
        holder = threading.Thread(
            target=_hold_write_lock, args=(tmp_path / "engine.db", 0.2, taken)
        )
        holder.start()
        taken.wait(5)
        try:
            with quick.connect() as conn:
                conn = conn.execution_options(**{ONE_STATEMENT: True})
                conn.execute(text("INSERT INTO t (a) VALUES ('mine')"))
        finally:
            holder.join()
        with quick.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 2
    finally:
        quick.dispose()


def test_the_request_path_engine_gives_up_within_its_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'engine.db'}"
    quick = make_engine(url, pool_size=2, request_path=True)
    try:
        with quick.begin() as conn:
            conn.execute(text("CREATE TABLE t (a TEXT)"))
        taken = threading.Event()
        holder = threading.Thread(
            target=_hold_write_lock, args=(tmp_path / "engine.db", 2.5, taken)
        )
        holder.start()
        taken.wait(5)
        try:
            with pytest.raises(OperationalError, match="locked"), quick.begin() as conn:
                conn.execute(text("INSERT INTO t (a) VALUES ('mine')"))
        finally:
            holder.join()
    finally:
        quick.dispose()
