"""The parent's side: start the worker process, restart it when it dies, stop it with us.

The child is started from the supervisor's own thread, which lives as long as the supervisor:
on Linux the child asks to be killed when that thread's process dies (``PR_SET_PDEATHSIG``),
and everywhere it stops when the line reads an end of file. A child that exits is started
again at once, then after a pause that doubles (up to ``MAX_PAUSE``) while it keeps dying;
each exit is logged as an error. Intents recorded meanwhile wait in the inbox: the new
child's first poll carries them out.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from leakbot.offload.link import Line, ToWorker, pair
from leakbot.operator_errors import UserError

log = logging.getLogger(__name__)

#: How long the first child may take to say it is ready.
START_SECONDS = 90.0
#: The longest pause between two restarts of a child that keeps dying.
MAX_PAUSE = 30.0
#: A child that ran this long is healthy again: its next restart is immediate.
STEADY_SECONDS = 60.0

OnMessage = Callable[[dict[str, Any]], None]


class WorkerProcess:
    def __init__(
        self, args: Sequence[str], handoff: ToWorker, on_message: OnMessage = lambda m: None
    ) -> None:
        #: the ``leakbot work`` arguments after the command (``--no-scheduler``, ...)
        self._args = list(args)
        self._handoff = handoff
        self._on_message = on_message
        self._ready = threading.Event()
        self._first = threading.Event()
        self._stopping = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._line: Line | None = None
        self._thread: threading.Thread | None = None
        self._failed: str | None = None
        #: how many children were started (the first included)
        self.started = 0

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> WorkerProcess:
        """Start the child (``wait_ready`` waits for it)."""
        self._thread = threading.Thread(target=self._supervise, name="worker-process", daemon=True)
        self._thread.start()
        return self

    def wait_ready(self, timeout: float = START_SECONDS) -> None:
        """Wait until the first child is ready; a child that cannot start is the operator's
        to fix, said before the process claims to serve."""
        if not self._first.wait(timeout):
            self.stop()
            raise UserError(f"the worker process did not start within {timeout:.0f} s")
        if self._failed is not None:
            self.stop()
            raise UserError(self._failed)

    @property
    def alive(self) -> bool:
        """Whether a child is running and ready to carry work out."""
        proc = self._proc
        return self._ready.is_set() and proc is not None and proc.poll() is None

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None else None

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the child to finish what it is doing and exit; kill it past ``timeout``."""
        self._stopping.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    # --- the supervisor's thread ---------------------------------------------------------
    def _supervise(self) -> None:
        pause = 0.0
        while not self._stopping.is_set():
            began = time.monotonic()
            code = self._run_one()
            if self._stopping.is_set():
                return
            if not self._first.is_set():
                self._failed = f"the worker process exited with {code} before it was ready"
                self._first.set()
                return
            ran = time.monotonic() - began
            pause = 0.0 if ran >= STEADY_SECONDS else min(max(pause * 2, 1.0), MAX_PAUSE)
            log.error(
                "the worker process exited with %s after %.0f s; starting another in %.0f s",
                code,
                ran,
                pause,
            )
            if self._stopping.wait(pause):
                return

    def _run_one(self) -> int | None:
        """Start one child, read its messages until it is gone; its exit code."""
        ours, theirs = pair()
        argv = [sys.executable, "-m", "leakbot", "work", *self._args]
        argv += ["--line", str(theirs.fileno()), "--parent", str(os.getpid())]
        try:
            self._proc = subprocess.Popen(argv, pass_fds=(theirs.fileno(),))
        finally:
            theirs.close()
        self.started += 1
        line = Line(ours)
        self._line = line
        try:
            while True:
                message = line.receive()
                if message is None:
                    break
                if message.get("t") == "ready":
                    self._handoff.attach(line)
                    self._ready.set()
                    self._first.set()
                else:
                    self._on_message(message)
        finally:
            self._ready.clear()
            self._handoff.attach(None)
            line.close()
        try:
            return self._proc.wait(30)
        except subprocess.TimeoutExpired:  # the line closed, yet the child lives on: end it
            self._proc.kill()
            return self._proc.wait()
