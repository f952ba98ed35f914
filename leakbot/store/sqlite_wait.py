"""Waiting for SQLite's write lock in fine steps.

SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries, so a writer that
finds the lock held for 3 ms waits 8, and one that keeps finding it held (the other process
writing statement after statement) falls further behind each time: measured under the
benchmark's load, the request path's INSERT waited up to 140 ms for locks held a few
milliseconds each (docs/performance.md). A connection made here has SQLite's busy timeout at 0
and tries again itself: every ``STEP`` seconds for the first ``FINE_FOR`` seconds of a wait,
then every ``COARSE_STEP``, until its own deadline; so a short hold costs about its length.

Only a statement that can be tried again unchanged is: one outside a transaction (a single
statement committed on its own, or the ``BEGIN`` that starts one), or a read (which holds
nothing until it succeeds). Any other "locked" error is raised at once.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

#: Seconds between two tries of a statement that found the database locked ...
STEP = 0.0005
#: ... for this long; then (a long hold: a migration, a big transaction) ...
FINE_FOR = 0.05
#: ... every this many seconds.
COARSE_STEP = 0.005
#: SQLite's result codes that mean "another connection holds it, try again": SQLITE_BUSY and
#: SQLITE_BUSY_RECOVERY (not SQLITE_BUSY_SNAPSHOT, which no retry can cure).
_BUSY = (sqlite3.SQLITE_BUSY, 261)


def connect(uri: str, wait_seconds: float) -> sqlite3.Connection:
    """A connection to ``uri`` whose statements wait up to ``wait_seconds`` for a lock."""
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=0, factory=_Connection)
    conn.wait_seconds = wait_seconds
    return conn


class _Connection(sqlite3.Connection):
    wait_seconds = 0.0

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _Cursor)


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        conn = self.connection
        started: float | None = None
        while True:
            again = not conn.in_transaction or sql.lstrip()[:6].upper() == "SELECT"
            try:
                super().execute(sql, parameters)
                return self
            except sqlite3.OperationalError as e:
                if not again or getattr(e, "sqlite_errorcode", None) not in _BUSY:
                    raise
                now = time.monotonic()
                if started is None:
                    started = now
                waited = now - started
                if waited >= getattr(conn, "wait_seconds", 0.0):
                    raise
                time.sleep(STEP if waited < FINE_FOR else COARSE_STEP)
