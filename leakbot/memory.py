"""Memory of a long-running process: no request waits behind a long garbage collection, and
what start-up used and freed goes back to the system."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import threading
import time
from collections.abc import Callable


def steady_memory() -> None:
    """Everything built at start lives as long as the process: keep it out of the garbage
    collector's way, and collect less eagerly, so no request waits behind a long collection.
    Then give back to the system the heap that start-up freed (checking the templates renders
    every notice into Word and reads it back: tens of MiB, used once)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    give_back()


#: glibc's ``mallopt`` parameter for the number of malloc arenas.
_M_ARENA_MAX = -8
#: Arenas a process may use: glibc gives each thread that allocates at once an arena of its
#: own (up to 8 per core), and each holds on to freed memory; threads that mostly wait for
#: Slack or the database gain nothing from them.
ARENAS = 2


def limit_arenas() -> None:
    """At most ``ARENAS`` malloc arenas from now on (glibc; elsewhere nothing)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, ARENAS)


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc's, not musl's
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def give_back() -> None:
    """Return freed heap pages to the system (glibc's ``malloc_trim``; elsewhere nothing)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


#: Seconds without work after which a process gives freed memory back.
IDLE_SECONDS = 2.0


class IdleTrim:
    """Gives freed heap back to the system once the process has been idle for
    ``IDLE_SECONDS`` after some work (never while it works: trimming holds the allocator's
    lock, and a request would wait for it). ``worked()`` marks work."""

    def __init__(
        self, idle_seconds: float = IDLE_SECONDS, busy: Callable[[], bool] = lambda: False
    ) -> None:
        self._idle = idle_seconds
        self._busy = busy
        self._last = 0.0
        self._trimmed = True
        self._thread: threading.Thread | None = None

    def worked(self) -> None:
        self._last = time.monotonic()
        self._trimmed = False

    def start(self) -> IdleTrim:
        self._thread = threading.Thread(target=self._loop, name="idle-trim", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while True:
            time.sleep(self._idle / 2)
            if self._busy():
                self.worked()
            elif not self._trimmed and time.monotonic() - self._last >= self._idle:
                self._trimmed = True
                give_back()
