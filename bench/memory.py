"""Figure 6: the resident memory of an idle ``leakbot serve`` (scheduler included), from /proc.

What a small host must hold for leakbot before anyone uses it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.figures import Figure
from bench.processes import leakbot_serve, rss_mb, start_standin

GOAL_MB = 120


def run(idle_seconds: float) -> list[Figure]:
    standin = start_standin()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="leakbot-bench-memory-") as tmp,
            leakbot_serve(standin, Path(tmp)) as lb,
        ):
            time.sleep(idle_seconds)
            rss = rss_mb(lb.pid)
    finally:
        standin.stop()
    return [
        Figure(
            "memory.idle_rss",
            "idle `leakbot serve` resident memory",
            round(rss, 1),
            "MiB",
            f"< {GOAL_MB} MiB",
            rss < GOAL_MB,
            f"SQLite, scheduler running, after {idle_seconds:g} s idle",
        )
    ]
