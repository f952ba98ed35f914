"""The database: engines tuned per backend, sessions, migrations and a health check.

SQLite serves one process (``leakbot demo``, small installs); its writers are serialised by
starting every transaction with ``BEGIN IMMEDIATE``, so concurrent threads wait for the lock
(``busy_timeout``) instead of failing half-way with "database is locked". PostgreSQL serves
several processes (``web`` and ``clock``), with a pool sized for the server's threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # not on Windows: migrations there rely on SQLite's own locking
    fcntl = None  # type: ignore[assignment]

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from leakbot.operator_errors import UserError
from leakbot.store import sqlite_wait

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
#: What the store raises when the database fails (``Deps.storage_errors``).
STORAGE_ERRORS: tuple[type[Exception], ...] = (SQLAlchemyError,)
#: How long a SQLite writer waits for another one before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: On the request path (before a Slack acknowledgement, which has 3 seconds) the database gets
#: this long, in seconds, to connect, to lock and to answer; past it the person is told that
#: nothing was done (``leakbot.slack.unavailable``).
REQUEST_PATH_SECONDS = 1.5
#: A SQLite writer on the request path waits this long for the write lock (writers take turns,
#: so a busy moment is a queue, not a failure), in milliseconds.
SQLITE_REQUEST_BUSY_MS = 2_000
#: ``pg_advisory_xact_lock`` key held while migrating, so two processes never migrate at once.
MIGRATION_LOCK_KEY = 0x1EA4B07
#: Execution option for a transaction that only reads: on SQLite it starts with a plain
#: ``BEGIN`` and so does not wait for, nor block, writers.
READ_ONLY = "leakbot_read_only"
#: Execution option for work done in single statements, each committed on its own: on SQLite
#: no ``BEGIN`` is sent, so the write lock is held only while one statement runs — never while
#: Python code between two statements waits for its turn to run (a busy process's threads
#: take turns with the interpreter's lock, and the other process would wait meanwhile).
ONE_STATEMENT = "leakbot_one_statement"
#: The drivers leakbot is tested with; every other URL is refused before connecting.
SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
URL_FORMS = (
    "use sqlite:///path/to/leakbot.db or postgresql+psycopg://user:password@host:5432/name "
    "(postgres:// and postgresql:// mean the latter)"
)


def parse_url(url: str) -> URL:
    """``postgres://`` and ``postgresql://`` (as hosting platforms spell them) mean psycopg 3.

    The URL may hold a password, so it is never repeated in the error.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError("DATABASE_URL is not a database URL (e.g. sqlite:///leakbot.db)") from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise UserError(
            f"DATABASE_URL names an unsupported database `{parsed.drivername}`; {URL_FORMS}"
        )
    return parsed


def _sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def make_engine(url: str | URL, pool_size: int = 10, request_path: bool = False) -> Engine:
    """An engine for background work, or (``request_path``) one that gives up within
    ``REQUEST_PATH_SECONDS`` at every stage, for the work done before an acknowledgement.
    Every engine hides SQL parameters from its errors and logs: they hold what people typed
    (titles, descriptions, answers)."""
    parsed = parse_url(url) if isinstance(url, str) else url
    file = _sqlite_file(parsed)
    if file is not None and not file.parent.is_dir():
        state = "is a file, not a folder" if file.parent.exists() else "does not exist"
        raise UserError(f"DATABASE_URL: the folder {file.parent} for the SQLite database {state}")
    try:
        if parsed.get_backend_name() == "sqlite":
            busy = SQLITE_REQUEST_BUSY_MS if request_path else SQLITE_BUSY_TIMEOUT_MS
            return _sqlite_engine(parsed, pool_size, busy, checkpoints=not request_path)
        if parsed.get_backend_name() == "postgresql":
            return _postgres_engine(parsed, pool_size, request_path)
        return create_engine(parsed, hide_parameters=True, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError):
        raise UserError(
            f"DATABASE_URL names an unsupported database `{parsed.drivername}`; {URL_FORMS}"
        ) from None


def _postgres_engine(url: URL, pool_size: int, request_path: bool) -> Engine:
    # Pre-ping finds connections the server dropped (a restart, a failover), so the first
    # request after the database is back gets a fresh connection instead of an error.
    if not request_path:
        return create_engine(
            url,
            hide_parameters=True,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_recycle=1800,
        )
    # As many connections as the listener threads that use them, and no more: a request that
    # finds none free within the timeout is told to try again.
    engine = create_engine(
        url,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_timeout=REQUEST_PATH_SECONDS,
        connect_args={"connect_timeout": max(1, round(REQUEST_PATH_SECONDS))},
    )
    ms = int(REQUEST_PATH_SECONDS * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {ms}")
            cursor.execute(f"SET lock_timeout = {ms}")
        dbapi_connection.commit()

    return engine


def _sqlite_engine(
    url: URL, pool_size: int, busy_timeout_ms: int, checkpoints: bool = True
) -> Engine:
    """Without ``checkpoints`` (the request path), a commit never copies the write-ahead log
    back into the database file (SQLite does it on the commit that finds the log past 1,000
    pages, and waits for the disk): the background engine's commits do it instead, so no
    acknowledgement waits for a checkpoint. On a file, a statement that finds the database
    locked tries again in fine steps for up to ``busy_timeout_ms``, not in SQLite's coarse
    ones (``leakbot.store.sqlite_wait``); an in-memory database keeps SQLite's handler."""
    # A pool as large as the threads that use it: a connection opened past the pool would be
    # closed again after one use, and opening one (with its pragmas) costs more than the query.
    path = url.database
    on_disk = bool(path) and path != ":memory:" and not str(path).startswith("file:")
    extra: dict[str, Any] = {}
    if on_disk:
        assert path is not None
        file = Path(path).absolute()
        quoted = quote(str(file))
        # The file may be created by the first connection only (a new database, migrated next);
        # once one has been opened, a file that is gone is an error, never a new empty one.
        opened = [file.exists()]

        def connect() -> sqlite3.Connection:
            mode = "rw" if opened[0] else "rwc"
            uri = f"file:{quoted}?mode={mode}"
            dbapi = sqlite_wait.connect(uri, busy_timeout_ms / 1000)
            opened[0] = True
            return dbapi

        extra["creator"] = connect
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={"check_same_thread": False},
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=pool_size,
        **extra,
    )

    if on_disk:

        @event.listens_for(engine, "checkout")
        def _on_checkout(_dbapi: Any, record: Any, _proxy: Any) -> None:
            # A connection holds the file it opened even once that file is moved or deleted:
            # writing there would be writing into a ghost. Each checkout checks the file is
            # still the one it opened; if not, the pool opens a fresh one (or fails).
            if not on_its_file(record.info):
                raise DisconnectionError("the database file was moved or removed")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        if on_disk:
            record.info["path"] = file
            record.info["file"] = _file_id(file)
        # Take BEGIN away from the driver so that the "begin" hook below decides how to begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # a connection to a file waits for locks itself (sqlite_wait): SQLite's handler is off
        cursor.execute(f"PRAGMA busy_timeout={0 if on_disk else busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if not checkpoints:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get(ONE_STATEMENT, False):
            return  # the driver is in autocommit: each statement is its own transaction
        conn.exec_driver_sql("BEGIN" if options.get(READ_ONLY, False) else "BEGIN IMMEDIATE")

    return engine


def on_its_file(info: dict[Any, Any]) -> bool:
    """Whether a connection (by its pool record's ``info``) still writes to the database file:
    one that holds a file moved or deleted since it was opened would write into a ghost.
    Always true for a database that is not a file of its own."""
    path = info.get("path")
    return path is None or info.get("file") == _file_id(path)


def _file_id(file: Path) -> tuple[int, int] | None:
    try:
        st = file.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=True)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic's config, built in code: the package needs no alembic.ini to migrate. (Alembic
    is imported only when a process migrates: a worker process never needs it.)"""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Bring the database up to ``revision``; a database already there is left unchanged.

    The whole upgrade runs in one transaction. On PostgreSQL it first takes an advisory lock,
    so processes starting together migrate one after the other; on SQLite ``BEGIN IMMEDIATE``
    does the same.
    """
    owned = isinstance(engine_or_url, str)
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        with _sqlite_migration_lock(engine), engine.connect() as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            from alembic import command

            command.upgrade(alembic_config(connection=conn), revision)
        log.info("database schema is at %s", revision)
    finally:
        if owned:
            engine.dispose()


@contextmanager
def _sqlite_migration_lock(engine: Engine) -> Iterator[None]:
    """On SQLite, processes starting together take turns before their first connection: the
    first one to connect switches a new database to WAL, which needs the database to itself."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or fcntl is None:
        yield
        return
    with open(f"{path}.migrate-lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def schema_revision(engine: Engine) -> tuple[str | None, str]:
    """The database's migration revision and the newest one this leakbot knows, read only."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        conn = conn.execution_options(**{READ_ONLY: True})
        current = MigrationContext.configure(conn).get_current_revision()
    return current, head or ""


def open_existing(url: str) -> Engine:
    """An engine on a database that must already exist and be migrated: for commands that only
    read, which never create a database file, nor change a schema."""
    parsed = parse_url(url)
    file = _sqlite_file(parsed)
    if file is not None and not file.is_file():
        raise UserError(f"no database at {file} (DATABASE_URL); nothing has been recorded there")
    engine = make_engine(parsed, pool_size=2)
    current, head = schema_revision(engine)
    if current != head:
        engine.dispose()
        shown = parsed.render_as_string(hide_password=True)
        state = "has no leakbot tables" if current is None else f"is at revision {current}"
        raise UserError(f"database {shown} {state}; run `leakbot db upgrade` (newest: {head})")
    return engine


def ping(engine: Engine) -> bool:
    """True when the database answers; never raises, for ``/healthz``."""
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**{READ_ONLY: True})
            conn.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        log.warning("database ping failed")
        return False
