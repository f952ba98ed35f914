"""Many waiters, one writer at a time: the items that arrive while one transaction commits are
all written by the next one (a group commit). Each caller still waits for its own item's
outcome; ``Recorder`` (intents recorded) and ``Settling`` (intents settled) say how a batch is
written and what each item's outcome is.

A caller that finds nobody writing writes the batch itself, its own item with whatever queued
meanwhile (the leader); a caller that finds a write under way waits for its outcome (a
follower). One request at a time, each is written on its own listener's thread, with no
handover at all. A leader writes one batch and returns: its own request is answered then, not
after the batches of those who queued behind it. What queued meanwhile is written by the next
leader, or by a thread of the group commit's own that is woken for it (``_keep_writing``), so
twenty at once are written a batch at a time. This is on the path of every acknowledgement, so
each handover is the cheapest the interpreter has: ``queue.SimpleQueue`` (C), and a lock of
each caller's own that the writer releases (``ItemOutcome``), not a ``Future``'s condition
(docs/performance.md).
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Generic, TypeVar, cast

log = logging.getLogger(__name__)

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
        #: set when items are left queued after a write: the next writer's signal
        self._more = threading.Event()
        self._next_writer: threading.Thread | None = None
        self._starting = threading.Lock()

    def submit(self, item: T) -> R:
        """Write ``item`` with the next batch (on this thread, if nobody is writing); its
        outcome, or the error that batch raised."""
        done: ItemOutcome[R] = ItemOutcome()
        self._queue.put((item, done))
        self._write_queued()
        return done.result()

    def _write_queued(self) -> None:
        """Write what is queued, unless somebody is writing (who looks at the queue again
        once done). Whoever lets go of the lock looks: an item queued during its write is in
        the queue then, and is either taken by a caller who took the lock meanwhile or left
        to the next writer, woken for it."""
        waiting, writing = self._queue, self._writing
        if not writing.acquire(blocking=False):
            return
        try:
            batch = []
            while not waiting.empty():  # only the lock's holder takes from the queue
                batch.append(waiting.get())
            if batch:
                self._write_all(batch)
        finally:
            writing.release()
        if not waiting.empty():
            self._wake_next_writer()

    def _wake_next_writer(self) -> None:
        self._more.set()
        if self._next_writer is None:
            with self._starting:
                if self._next_writer is None:
                    self._next_writer = threading.Thread(
                        target=self._keep_writing, name="group-commit", daemon=True
                    )
                    self._next_writer.start()

    def _keep_writing(self) -> None:
        """The group commit's own writer: each time items were left queued after a write.
        (An item queued before ``clear`` is in the queue when ``_write_queued`` looks; one
        queued after it sets the signal again.)"""
        while True:
            self._more.wait()
            self._more.clear()
            try:
                self._write_queued()
            except Exception as e:  # never: _write_all answers every caller; but never stop
                log.error("group commit: a write failed (%s)", type(e).__name__, exc_info=e)

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
