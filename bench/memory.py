"""Figure 6: the resident memory of everything ``leakbot serve`` runs — the process that
acknowledges and the worker process it starts — idle (scheduler included), from /proc.

What a small host must hold for leakbot before anyone uses it. The same sum after the
acknowledgement benchmark is measured by ``bench.ack`` (``after_figure``).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.figures import Figure
from bench.processes import leakbot_serve, start_standin

GOAL_MB = 200


@dataclass(frozen=True)
class Held:
    """Memory of a process tree: per process (pid, RSS), and the sums, in MiB."""

    processes: tuple[tuple[int, float], ...]
    rss: float
    pss: float

    def detail(self) -> str:
        each = " + ".join(f"{rss:.1f}" for _, rss in self.processes)
        return f"{len(self.processes)} processes ({each} MiB RSS); PSS {self.pss:.1f} MiB"


def tree(pid: int) -> list[int]:
    """``pid`` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def _kib(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def held(pid: int) -> Held:
    """RSS (``VmRSS``) of ``pid`` and its children, and their PSS (``smaps_rollup``)."""
    processes: list[tuple[int, float]] = []
    pss = 0
    for p in tree(pid):
        try:
            rss = _kib(Path(f"/proc/{p}/status"), "VmRSS")
            pss += _kib(Path(f"/proc/{p}/smaps_rollup"), "Pss")
        except OSError:
            continue  # gone meanwhile
        processes.append((p, rss / 1024))
    return Held(tuple(processes), sum(r for _, r in processes), pss / 1024)


def figure(figure_id: str, label: str, found: Held, when: str) -> Figure:
    return Figure(
        figure_id,
        label,
        round(found.rss, 1),
        "MiB",
        f"< {GOAL_MB} MiB",
        found.rss < GOAL_MB,
        f"{found.detail()}; {when}",
    )


def run(idle_seconds: float) -> list[Figure]:
    standin = start_standin()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="leakbot-bench-memory-") as tmp,
            leakbot_serve(standin, Path(tmp)) as lb,
        ):
            time.sleep(idle_seconds)
            found = held(lb.pid)
    finally:
        standin.stop()
    return [
        figure(
            "memory.idle_rss",
            "idle `leakbot serve` resident memory, all processes",
            found,
            f"SQLite, scheduler running, after {idle_seconds:g} s idle",
        )
    ]
