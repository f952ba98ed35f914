"""Many waiters, one writer at a time: the items that arrive while one transaction commits are
all written by the next one (a group commit). Each caller still waits for its own item's
outcome; ``Recorder`` (intents recorded) and ``Settling`` (intents settled) say how a batch is
written and what each item's outcome is.

There is no writer thread. A caller that finds nobody writing writes the batch itself, its own
item with whatever queued meanwhile (the leader); a caller that finds a write under way waits
for the writer to set its outcome (a follower), and the writer, once done, writes again if
more came in. One request at a time, each is written on its own listener's thread, with no
handover at all; twenty at once are written a batch at a time. This is on the path of every
acknowledgement, so each handover is the cheapest the interpreter has: ``queue.SimpleQueue``
(C), and a lock of each caller's own that the writer releases (``ItemOutcome``), not a
``Future``'s condition (docs/performance.md).
"""

from __future__ import annotations

import queue
import threading
from typing import Generic, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")


class ItemOutcome(Generic[R]):
    """One item's outcome: set once by the writer, waited for by the caller that submitted it."""

    __slots__ = ("_done", "_value", "_error", "is_set")

    def __init__(self) -> None:
        self._done = threading.Lock()
        self._done.acquire()  # released when the outcome is set
        self._value: R | None = None
        self._error: BaseException | None = None
        self.is_set = False

    def set_result(self, value: R) -> None:
        self._value, self.is_set = value, True
        self._done.release()

    def set_exception(self, error: BaseException) -> None:
        self._error, self.is_set = error, True
        self._done.release()

    def result(self) -> R:
        self._done.acquire()
        self._done.release()  # set for good: asking again gives the same answer
        if self._error is not None:
            raise self._error
        return cast(R, self._value)


class GroupCommit(Generic[T, R]):
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[T, ItemOutcome[R]]] = queue.SimpleQueue()
        self._writing = threading.Lock()

    def submit(self, item: T) -> R:
        """Write ``item`` with the next batch (on this thread, if nobody is writing); its
        outcome, or the error that batch raised."""
        done: ItemOutcome[R] = ItemOutcome()
        waiting, writing = self._queue, self._writing
        waiting.put((item, done))
        # An item queued while a write was under way is in the queue when that writer lets go
        # of the lock: so the writer looks again, and either writes it or finds that another
        # caller has taken the lock (and will).
        while writing.acquire(blocking=False):
            try:
                batch = []
                while not waiting.empty():  # only the lock's holder takes from the queue
                    batch.append(waiting.get())
                if batch:
                    self._write_all(batch)
            finally:
                writing.release()
            if waiting.empty():
                break
        return done.result()

    def _write_all(self, batch: list[tuple[T, ItemOutcome[R]]]) -> None:
        try:
            self._write(batch)
        except Exception as e:  # no waiter is left waiting: each unset one gets the error
            for _, done in batch:
                if not done.is_set:
                    done.set_exception(e)

    def _write(self, batch: list[tuple[T, ItemOutcome[R]]]) -> None:
        """Write the batch in one transaction and set every item's outcome."""
        raise NotImplementedError
