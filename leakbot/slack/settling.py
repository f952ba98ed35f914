"""Settling intents in batches: the outcomes that come in while one transaction commits are
all written by the next one.

A carrier that changed nothing (a refusal, a modal opened, a message told) still settles its
intent, one small write each, made here by one thread for dozens of carriers. (On SQLite each
outcome is its own UPDATE, which holds the write lock only inside the database:
``InboxRepository.settle_many``.)
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from datetime import datetime

from leakbot.services.deps import Deps


class Settling:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._queue: list[tuple[int, str, str | None, Future[bool]]] = []
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    def settle(self, intent_id: int, status: str, error: str | None, at: datetime) -> bool:
        """Settle one intent with the next batch; whether it was still pending. Raises the
        database's error if the batch could not be written."""
        done: Future[bool] = Future()
        with self._ready:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="settle", daemon=True)
                self._thread.start()
            self._queue.append((intent_id, status, error, done))
            self._ready.notify()
        return done.result()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                batch, self._queue = self._queue, []
            self._write(batch)

    def _write(self, batch: list[tuple[int, str, str | None, Future[bool]]]) -> None:
        deps = self._deps
        try:
            with deps.single() as uow:  # each statement committed on its own
                settled = uow.inbox.settle_many(
                    [(i, status, error) for i, status, error, _ in batch], deps.clock.now()
                )
                uow.commit()
        except Exception as e:  # each waiter gets the error, as a write of its own would
            for *_, done in batch:
                done.set_exception(e)
            return
        for intent_id, *_, done in batch:
            done.set_result(intent_id in settled)
