"""One writer thread for many waiters: the items that arrive while one transaction commits are
all written by the next one (a group commit). Each caller still waits for its own item's
outcome; ``Recorder`` (intents recorded) and ``Settling`` (intents settled) say how a batch is
written and what each item's outcome is."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    def __init__(self, name: str) -> None:
        self._name = name
        self._queue: list[tuple[T, Future[R]]] = []
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, item: T) -> R:
        """Write ``item`` with the next batch; its outcome, or the error that batch raised."""
        done: Future[R] = Future()
        with self._ready:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()
            self._queue.append((item, done))
            self._ready.notify()
        return done.result()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                batch, self._queue = self._queue, []
            self._write(batch)

    def _write(self, batch: list[tuple[T, Future[R]]]) -> None:
        """Write the batch in one transaction and set every item's future."""
        raise NotImplementedError
