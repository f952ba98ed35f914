"""Recording intents in batches: the requests that arrive while one transaction commits are
all recorded by the next one (a group commit).

Each request still waits for its own record to be committed before it is acknowledged; what
changes is that twenty requests at once are written by one thread at a time, a batch after the
other, not by twenty racing for SQLite's write lock against the worker process. A request
alone is written on its own listener's thread (``leakbot.slack.group_commit``).

On PostgreSQL a batch is one statement; on SQLite one INSERT per request, each holding the
lock only inside the database (``leakbot.store.inbox.IntentLog``). If one fails, the ones
before it stand and are acknowledged; the others are told that nothing was done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from leakbot.services.deps import Deps
from leakbot.services.storage import PartlyRecorded
from leakbot.slack.group_commit import GroupCommit, ItemOutcome

#: key, kind, payload
Row = tuple[str, str, dict[str, Any]]
#: a row, and the acknowledgement to give once it is committed
Item = tuple[Row, Callable[[], object]]


class Recorder(GroupCommit[Item, "int | None"]):
    def __init__(self, deps: Deps, held: timedelta) -> None:
        super().__init__()
        self._deps = deps
        self._log = deps.intents
        self._held = held

    def record(
        self, key: str, kind: str, payload: dict[str, Any], acknowledge: Callable[[], object]
    ) -> int | None:
        """Record one intent with the next batch (``InboxRepository.record``, claimed for the
        worker it is handed to); its id, or None when ``key`` was recorded before. Raises the
        database's error if the batch could not be written."""
        return self.submit(((key, kind, payload), acknowledge))

    def _write(self, batch: list[tuple[Item, ItemOutcome[int | None]]]) -> None:
        now = self._deps.clock.now()
        try:
            ids = self._log.record_many([row for (row, _), _ in batch], now, now + self._held)
        except PartlyRecorded as e:  # the first ones stand; the others are told it failed
            for item, intent_id in zip(batch, e.recorded, strict=False):
                _acknowledged(item, intent_id)
            for _, done in batch[len(e.recorded) :]:
                done.set_exception(e.cause)
            return
        except Exception as e:  # each request is told, as if its own write had failed
            for _, done in batch:
                done.set_exception(e)
            return
        for item, intent_id in zip(batch, ids, strict=True):
            _acknowledged(item, intent_id)


def _acknowledged(item: tuple[Item, ItemOutcome[int | None]], intent_id: int | None) -> None:
    """Acknowledge a recorded request from the thread that wrote it, so Bolt sees it without
    waiting for the request's own listener thread to run again; then tell that listener."""
    (_, acknowledge), done = item
    try:
        acknowledge()
    except Exception as e:  # the listener's error handler answers, as if it had failed there
        done.set_exception(e)
        return
    done.set_result(intent_id)
