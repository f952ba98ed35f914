"""Recording intents in batches: the requests that arrive while one transaction commits are
all recorded by the next one (a group commit).

Each request still waits for its own record to be committed before it is acknowledged; what
changes is that twenty requests at once are written by one thread, one after the other, not by
twenty racing for SQLite's write lock against the worker process. (On PostgreSQL a batch is one
statement; on SQLite one INSERT per request, each holding the lock only inside the database:
``InboxRepository.record_many``. If one fails, the ones before it stand and are acknowledged;
the others are told that nothing was done.)
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from leakbot.services.deps import Deps
from leakbot.services.storage import PartlyRecorded


@dataclass(frozen=True)
class _Asked:
    key: str
    kind: str
    payload: dict[str, Any]
    done: Future[int | None]


class Recorder:
    def __init__(self, deps: Deps, held: timedelta) -> None:
        self._deps = deps
        self._held = held
        self._queue: list[_Asked] = []
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def record(self, key: str, kind: str, payload: dict[str, Any]) -> int | None:
        """Record one intent with the next batch (``InboxRepository.record``, claimed for the
        worker it is handed to); its id, or None when ``key`` was recorded before. Raises the
        database's error if the batch could not be written."""
        asked = _Asked(key, kind, payload, Future())
        with self._ready:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="record", daemon=True)
                self._thread.start()
            self._queue.append(asked)
            self._ready.notify()
        return asked.done.result()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                batch, self._queue = self._queue, []
            self._write(batch)

    def _write(self, batch: list[_Asked]) -> None:
        deps = self._deps
        now = deps.clock.now()
        try:
            with deps.single() as uow:  # each statement committed on its own
                rows = [(a.key, a.kind, a.payload) for a in batch]
                ids = uow.inbox.record_many(rows, now, now + self._held)
                uow.commit()
        except PartlyRecorded as e:  # the first ones stand; the others are told it failed
            for asked, intent_id in zip(batch, e.recorded, strict=False):
                asked.done.set_result(intent_id)
            for asked in batch[len(e.recorded) :]:
                asked.done.set_exception(e.cause)
            return
        except Exception as e:  # each request is told, as if its own write had failed
            for asked in batch:
                asked.done.set_exception(e)
            return
        for asked, intent_id in zip(batch, ids, strict=True):
            asked.done.set_result(intent_id)
