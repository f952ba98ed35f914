"""Slack work done off the request threads, so every request is acknowledged at once.

The outbox thread also carries out the inbox's intents nobody holds (left by a process that
died, or waiting for the database): at start, and every few seconds.

Three lanes: the outbox lane drains owed, recorded work in order (one thread, woken by ``kick``
after a commit and every few seconds for retries); the trigger lane carries out the requests
that may open a modal, whose trigger id lives 3 seconds, so nothing else queues in front of
them; the immediate lane runs the rest of what people asked for (a refusal only one person
sees, a notice sent to a DM, ...).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from leakbot.services.deps import Deps
from leakbot.services.outbox import Perform, Ran, run_due

log = logging.getLogger(__name__)

#: Threads of the immediate lane.
THREADS = 16
#: Threads of the trigger lane: enough that, with Slack taking 300 ms a call, 20 people typing
#: ``/leak`` non-stop never leave a trigger waiting past its life (docs/performance.md).
TRIGGER_THREADS = 64


class SlackWorker:
    def __init__(
        self,
        deps: Deps,
        perform: Perform,
        *,
        threads: int = THREADS,
        trigger_threads: int = TRIGGER_THREADS,
        poll_seconds: float = 5.0,
        wake: threading.Event | None = None,
    ) -> None:
        """``wake``: the event that ``kick`` sets, when it must exist before the worker (the
        dependencies' ``after_commit`` sets it)."""
        self._deps = deps
        self._perform = perform
        self._poll = poll_seconds
        self._wake = wake or threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="slack-now")
        self._triggers = ThreadPoolExecutor(
            max_workers=trigger_threads, thread_name_prefix="slack-trigger"
        )
        self._in_flight = 0
        self._count_lock = threading.Lock()
        #: carries out the inbox's unclaimed intents (set by the Slack runtime)
        self.inbox_drain: Callable[[], int] | None = None

    # --- the outbox lane -----------------------------------------------------------------
    def start(self) -> SlackWorker:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="slack-outbox", daemon=True)
            self._thread.start()
        return self

    def kick(self) -> None:
        self._wake.set()

    def drain(self, limit: int = 5) -> Ran:
        """Perform what is due now, until nothing due is left (or ``limit`` per round)."""
        total = Ran()
        while True:
            ran = run_due(self._deps, self._perform, limit=limit)
            total = Ran(
                total.done + ran.done, total.retried + ran.retried, total.failed + ran.failed
            )
            if ran.done + ran.retried + ran.failed < limit:
                return total

    def drain_inbox(self) -> int:
        """Carry out what the inbox holds for nobody; 0 when there is no inbox."""
        return self.inbox_drain() if self.inbox_drain is not None else 0

    def _loop(self) -> None:
        idle = True  # at start, and whenever the poll ran out without a kick
        while not self._stop.is_set():
            try:
                if idle:
                    self.drain_inbox()
                self.drain()
            except Exception as e:  # the lane outlives a database hiccup; the work stays owed
                log.warning("outbox drain failed (%s); will try again", type(e).__name__)
            idle = not self._wake.wait(self._poll)
            self._wake.clear()

    # --- the immediate lane --------------------------------------------------------------
    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        return self._on(self._pool, fn, *args, **kwargs)

    def submit_trigger_bound(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run ``fn`` on the trigger lane: it may open a modal on a trigger id."""
        return self._on(self._triggers, fn, *args)

    def _on(
        self, pool: ThreadPoolExecutor, fn: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Future[Any]:
        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as e:
                log.warning("Slack call %s failed: %s", getattr(fn, "__name__", fn), e)
                raise
            finally:
                with self._count_lock:
                    self._in_flight -= 1

        with self._count_lock:
            self._in_flight += 1
        return pool.submit(run)

    @property
    def busy(self) -> bool:
        """Whether immediate work is queued or running."""
        with self._count_lock:
            return self._in_flight > 0

    def stop(self, wait: bool = True) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and wait:
            self._thread.join(timeout=10)
        self._triggers.shutdown(wait=wait)
        self._pool.shutdown(wait=wait)
