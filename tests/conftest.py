"""Database fixtures shared by every tier of tests.

Each test that asks for a database gets a fresh one, on SQLite (a file in a temp folder) and,
when ``TEST_DATABASE_URL`` is set, on PostgreSQL as well (a schema of its own, dropped after).

- ``empty_db_url``: a fresh database with no tables yet (to test migrations);
- ``db_url``: a fresh database, migrated (for tests that start processes or build their own
  engine);
- ``engine``, ``session_factory``, ``uow``: the same database, ready to use in-process.

When ``TEST_DATABASE_URL`` is set but the server does not answer, the PostgreSQL tests are
skipped with the reason, except under ``CI``, where they fail: a broken CI database must not
turn into a green build.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from leakbot.domain.incident import Facts, Incident, StepState
from leakbot.domain.playbook import Choice, Due, InputSpec, Playbook, StepSpec
from leakbot.store.db import make_engine, make_session_factory, parse_url, upgrade
from leakbot.store.uow import UnitOfWork

TEST_DATABASE_URL = "TEST_DATABASE_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@cache
def _postgres_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run, or None when they can."""
    url = os.environ.get(TEST_DATABASE_URL)
    if not url:
        return f"{TEST_DATABASE_URL} is not set"
    engine = create_engine(parse_url(url), connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as e:  # any failure to connect means the same: no server to test on
        return f"{TEST_DATABASE_URL} is set but PostgreSQL does not answer ({type(e).__name__})"
    finally:
        engine.dispose()
    return None


def _require_postgres() -> str:
    reason = _postgres_unavailable()
    if reason is None:
        return os.environ[TEST_DATABASE_URL]
    if os.environ.get("CI") and os.environ.get(TEST_DATABASE_URL):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'leakbot-test.db'}"
        return
    base = parse_url(_require_postgres())
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url, pool_size=12)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> UnitOfWork:
    return UnitOfWork(session_factory)


def sample_playbook() -> Playbook:
    """Three steps, one with inputs, enough to exercise storage."""
    return Playbook(
        id="supplier-leak",
        name="Supplier leak",
        steps=(
            StepSpec(id="confirm", title="Confirm the leak", owner="security"),
            StepSpec(
                id="penalty",
                title="Impose the penalty",
                owner="legal",
                after=("confirm",),
                due=Due(contract_days="rectification_days", fallback_seconds=86400),
                inputs=(
                    InputSpec(id="amount", label="Amount", type="money"),
                    InputSpec(
                        id="basis",
                        label="Basis",
                        type="choice",
                        options=(Choice("nda", "NDA"), Choice("law", "Law")),
                    ),
                ),
            ),
            StepSpec(
                id="plan",
                title="Get a rectification plan",
                owner="procurement",
                after=("penalty",),
                optional=True,
            ),
        ),
    )


@pytest.fixture
def make_incident() -> Callable[..., Incident]:
    """Builds an unsaved incident on ``sample_playbook()``; keyword arguments override."""

    def build(number: int = 1, **overrides: Any) -> Incident:
        opened = overrides.pop("opened_at", datetime(2024, 5, 6, 9, 30, tzinfo=UTC))
        playbook = sample_playbook()
        values: dict[str, Any] = {
            "number": number,
            "facts": Facts(
                title="Bumper drafts on a forum",
                asset="Project K9 front bumper",
                where_seen=("https://forum.example/t/1",),
                discovered_at=opened - timedelta(hours=3),
                severity="high",
                description="Drafts v3 posted publicly.",
                supplier_id="bjmold",
            ),
            "reporter": "U0SEC00001",
            "commander": "U0SEC00001",
            "playbook": playbook,
            "opened_at": opened,
            "steps": {s.id: StepState(step_id=s.id) for s in playbook.steps},
        }
        values.update(overrides)
        return Incident(**values)

    return build


# --- the application's own parts, for service and Slack tests -------------------------------
class MovableClock:
    """A clock tests move by hand: due times without sleeping."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 1, 22, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def app_setup() -> Any:
    """The bundled example config, playbooks and templates, as an operator would start."""
    from leakbot.bootstrap import load_setup
    from leakbot.loading.paths import bundled_example_config
    from leakbot.settings import Settings

    settings = Settings.from_env(
        {"LEAKBOT_CONFIG": str(bundled_example_config()), "LEAKBOT_TIMEZONE": "Asia/Shanghai"}
    )
    return load_setup(settings)


@pytest.fixture
def deps(engine: Engine, clock: MovableClock, app_setup: Any) -> Any:
    from leakbot.bootstrap import build_deps

    return build_deps(app_setup, engine, clock=clock)
