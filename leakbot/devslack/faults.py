"""Faults a reliability test queues: slow answers and failed calls, Slack's way."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    method: str  # a method name, or "*" for any
    error: str
    status: int
    retry_after: int | None
    times: int


class Faults:
    def __init__(self) -> None:
        self.latency = 0.0
        self._queue: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._queue.append(fault)

    def take(self, method: str) -> Fault | None:
        """The next queued fault for ``method``, used up once per call it answers."""
        with self._lock:
            for fault in self._queue:
                if fault.method in (method, "*"):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._queue.remove(fault)
                    return fault
        return None

    def pending(self) -> int:
        with self._lock:
            return sum(f.times for f in self._queue)
