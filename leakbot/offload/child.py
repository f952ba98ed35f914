"""``leakbot work``: the worker process that ``leakbot serve`` and ``leakbot socket`` start.

It carries out what the acknowledging process recorded (woken at once by a ``carry`` message,
and by its own poll of the inbox for anything a message missed), performs the outbox, runs
the scheduler, and keeps the config's user groups fresh, passing their members back so that
the acknowledging process knows the roles without calling Slack. It dies with its parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from leakbot import bootstrap
from leakbot.memory import IdleTrim, limit_arenas, steady_memory
from leakbot.offload.link import Line
from leakbot.settings import Settings

log = logging.getLogger(__name__)

#: How much lower the worker's CPU priority is than its parent's (``os.nice``). 0: measured
#: at 2 and 5, the worker fell behind under load (modals opened too late) and the
#: acknowledgements gained nothing measurable (docs/performance.md).
NICE = 0
#: Database connections the worker keeps (as many again are opened while all are in use, and
#: closed after). Its ~80 threads hold one only for a read or a write of a millisecond or two,
#: and each SQLite connection kept holds its own page and statement caches: 16 kept 5 MiB
#: more after the benchmark than 6, with no acknowledgement or modal slower (docs/performance.md).
POOL = 6
#: How often the worker's threads hand Python's lock over, in seconds (the interpreter's
#: default is 0.005): a thread back from SQLite or from Slack, with a write to make or a modal
#: to open, gets it back sooner from the ~80 others (docs/performance.md).
SWITCH_SECONDS = 0.001
#: How often every user group is read again, in seconds.
GROUPS_EVERY = 300.0
#: How often the worker looks for intents no message told it about, in seconds.
POLL_SECONDS = 2.0
_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """Be killed when ``parent`` dies (Linux); elsewhere the line's end of file stops us."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            log.warning("could not ask to die with the parent process; the line will tell")
    if os.getppid() != parent:  # it died before we asked
        raise SystemExit(1)


def run_worker(settings: Settings, line_fd: int, parent: int, scheduler: bool) -> int:
    die_with(parent)
    limit_arenas()
    with contextlib.suppress(OSError):
        os.nice(NICE)
    line = Line.from_fd(line_fd)
    signal.signal(signal.SIGTERM, _stop)

    def publish(group_id: str, users: tuple[str, ...]) -> None:
        line.send({"t": "groups", "group": group_id, "users": list(users)})

    setup = bootstrap.load_setup(settings, templates_rendered=False)  # the parent did
    engine = bootstrap.open_database(settings.database_url, migrate=False, pool_size=POOL)
    deps = bootstrap.build_deps(setup, engine)
    # no request-path engine: this process acknowledges nothing
    parts = bootstrap.build_slack(setup, deps, poll_seconds=POLL_SECONDS, on_groups=publish)
    deps = parts.deps  # as the Slack side wired them: its user groups, its worker's wake-up
    worker = parts.own_worker
    worker.start()
    clock = None
    if scheduler:
        from leakbot.scheduler.runner import start_scheduler

        clock = start_scheduler(deps, worker)
    refresh = threading.Thread(
        target=_refresh_groups, args=(deps.directory.warm,), name="groups", daemon=True
    )
    refresh.start()
    steady_memory()
    sys.setswitchinterval(SWITCH_SECONDS)
    trim = IdleTrim(busy=lambda: worker.busy).start()
    line.send({"t": "ready"})
    log.info("worker process ready (scheduler: %s)", clock is not None)
    rt = parts.runtime
    handlers: dict[str, Callable[[dict[str, Any]], None]] = {
        "carry": lambda m: rt.carry(_handed(m)),
        "kick": lambda m: worker.kick(),
        "say": lambda m: rt.tell_to(dict(m.get("reply") or {}), str(m["text"]), m.get("blocks")),
    }
    try:
        while True:
            message = line.receive()
            if message is None:
                log.info("the acknowledging process is gone; the worker stops")
                break
            handler = handlers.get(str(message.get("t")))
            trim.worked()
            if handler is not None:
                handler(message)
    except SystemExit:
        pass
    finally:
        if clock is not None:
            clock.shutdown(wait=False)
        parts.close()
        engine.dispose()
    return 0


def _handed(message: dict[str, Any]) -> list[tuple[int, bool]]:
    """A ``carry`` message's intents: the trigger-bound ones first."""
    first = [(int(i), True) for i in message.get("trigger") or ()]
    return first + [(int(i), False) for i in message.get("other") or ()]


def _stop(*_: object) -> None:
    raise SystemExit(0)


def _refresh_groups(warm: Callable[[], None]) -> None:
    stop = threading.Event()
    while not stop.wait(GROUPS_EVERY):
        warm()
