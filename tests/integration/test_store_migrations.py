from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from leakbot.store.db import alembic_config, make_engine, ping, upgrade
from leakbot.store.models import Base

TABLES = {
    "counters",
    "incidents",
    "step_states",
    "audit_entries",
    "notice_drafts",
    "outbox",
    "reminders",
    "evidence",
    "evidence_blobs",
    "people",
}


def _head() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, heads
    return str(heads[0])


def test_migrating_an_empty_database_creates_every_table(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        names = set(inspect(engine).get_table_names())
        assert names >= TABLES
        assert "alembic_version" in names
        indexes = {i["name"] for i in inspect(engine).get_indexes("step_states")}
        assert "ix_step_states_status_due_at" in indexes
    finally:
        engine.dispose()


def test_migrating_twice_changes_nothing(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        assert versions == [(_head(),)]
    finally:
        engine.dispose()


def test_the_migrations_and_the_models_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_two_processes_starting_together_both_migrate_without_error(empty_db_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def migrate() -> None:
        try:
            start.wait()
            upgrade(empty_db_url)
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=migrate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = make_engine(empty_db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_ping_answers_true_for_a_live_database(engine: Engine) -> None:
    assert ping(engine) is True


def test_ping_answers_false_when_the_database_cannot_be_opened(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "gone"
    folder.mkdir()
    engine = make_engine(f"sqlite:///{folder / 'x.db'}")
    folder.rmdir()  # the folder goes away after start: the database cannot be opened
    try:
        assert ping(engine) is False
    finally:
        engine.dispose()


def test_a_database_at_0002_keeps_its_notices_through_0004(empty_db_url: str) -> None:
    """Notices drafted before addressees existed stay, addressed to no one in particular,
    and the incident gets empty Chinese fields."""
    upgrade(empty_db_url, "0002")
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO incidents (id, number, title, asset, where_seen, severity,"
                    " description, status, reporter, commander, playbook_id, playbook,"
                    " opened_at, audit_count, last_activity_at) VALUES (1, 1, 'T', '', '[]',"
                    " 'high', '', 'open', 'U1', 'U1', 'p', '{}', :at, 0, :at)"
                ),
                {"at": "2026-11-01 00:00:00+00:00"},
            )
            conn.execute(
                text(
                    "INSERT INTO notice_drafts (incident_id, kind, locale, version, title,"
                    " audience, body, inputs_hash, status, created_at, created_by)"
                    " VALUES (1, 'takedown_request', 'en', 1, 'T', 'platform', 'B', 'h',"
                    " 'draft', :at, 'U1')"
                ),
                {"at": "2026-11-01 00:00:00+00:00"},
            )
        upgrade(engine, "0004")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT addressee, body FROM notice_drafts")).all() == [
                ("", "B")
            ]
            assert conn.execute(text("SELECT title_zh, asset_zh FROM incidents")).all() == [
                ("", "")
            ]
    finally:
        engine.dispose()
