from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text

from leakbot.operator_errors import UserError
from leakbot.store.db import make_engine, parse_url


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # a connection to a file waits for locks itself (leakbot.store.sqlite_wait)
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 0


def test_concurrent_sqlite_writers_wait_for_each_other_instead_of_failing(engine: Engine) -> None:
    """Read-then-write in eight threads: with BEGIN IMMEDIATE none is refused and none is lost."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('t', 0)"))
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def bump() -> None:
        try:
            start.wait()
            for _ in range(5):
                with engine.begin() as conn:
                    value = conn.execute(
                        text("SELECT value FROM counters WHERE name = 't' FOR UPDATE")
                        if engine.dialect.name == "postgresql"
                        else text("SELECT value FROM counters WHERE name = 't'")
                    ).scalar_one()
                    conn.execute(
                        text("UPDATE counters SET value = :v WHERE name = 't'"), {"v": value + 1}
                    )
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM counters WHERE name = 't'")).scalar() == 40


def test_a_hosting_platform_postgres_url_uses_psycopg() -> None:
    assert parse_url("postgres://u:p@db/x").drivername == "postgresql+psycopg"
    assert parse_url("postgresql://u:p@db/x").drivername == "postgresql+psycopg"


def test_a_malformed_url_is_a_user_error_that_does_not_repeat_the_url() -> None:
    with pytest.raises(UserError) as caught:
        make_engine("not a url with s3cret")
    assert "s3cret" not in str(caught.value)


def test_an_unknown_database_is_a_user_error() -> None:
    with pytest.raises(UserError, match="unsupported database"):
        make_engine("oracle+nodriver://u:p@h/x")
