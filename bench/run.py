"""The benchmark, one command: ``python -m bench.run [--smoke] [--json FILE]``.

Prints each figure with its goal and PASS or FALLS SHORT. ``--smoke`` runs a tiny size of each
part, in seconds, to prove the benchmark still runs; its numbers mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.figures import Figure


@dataclass(frozen=True)
class Sizes:
    ack_rounds: int
    ack_per_client: int
    reports: int
    closed_incidents: int
    sweeps: int
    other_incidents: int
    render_seconds: float
    docx_builds: int
    idle_seconds: float


FULL = Sizes(
    ack_rounds=5,
    ack_per_client=8,
    reports=40,
    closed_incidents=100_000,
    sweeps=9,
    other_incidents=1_000,
    render_seconds=5.0,
    docx_builds=20,
    idle_seconds=5.0,
)
SMOKE = Sizes(
    ack_rounds=1,
    ack_per_client=1,
    reports=2,
    closed_incidents=200,
    sweeps=3,
    other_incidents=20,
    render_seconds=0.2,
    docx_builds=2,
    idle_seconds=0.5,
)

#: Every figure a run produces, in the order printed.
FIGURE_IDS = (
    "notices.per_second",
    "notices.docx",
    "queries.steps",
    "queries.incidents",
    "sweep.ratio",
    "memory.idle_rss",
    "checklist.p95",
    "ack.leak.ratio",
    "ack.leak.p99",
    "ack.click.ratio",
    "ack.click.p99",
    "ack.modal.ratio",
    "ack.modal.p99",
    "ack.non200",
    "ack.expired",
    "memory.after_rss",
)


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def parts(sizes: Sizes) -> list[tuple[str, Callable[[], list[Figure]]]]:
    from bench import ack, checklist, memory, notices, queries, sweep

    return [
        ("notice rendering", lambda: notices.run(sizes.render_seconds, sizes.docx_builds)),
        ("queries per click", lambda: queries.run(sizes.other_incidents)),
        ("reminder sweep", lambda: sweep.run(sizes.closed_incidents, sizes.sweeps)),
        ("idle memory", lambda: memory.run(sizes.idle_seconds)),
        ("report to checklist", lambda: checklist.run(sizes.reports)),
        ("acknowledgements", lambda: ack.run(sizes.ack_rounds, sizes.ack_per_client)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a tiny run: does it still work?")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else FULL
    about = machine()
    print(
        f"leakbot benchmark ({'smoke' if args.smoke else 'full'}) on {about['nproc']} CPU(s), "
        f"{about['cpu']}, Python {about['python']}"
    )
    produced: list[Figure] = []
    started = time.monotonic()
    for title, part in parts(sizes):
        print(f"\n== {title}", flush=True)
        t0 = time.monotonic()
        for figure in part():
            produced.append(figure)
            print(figure.line(), flush=True)
        print(f"   ({time.monotonic() - t0:.1f} s)", flush=True)
    took = time.monotonic() - started
    short = [f for f in produced if f.passed is False]
    print(
        f"\n{len(produced)} figures in {took:.0f} s; "
        f"{len(short)} fall short" + (f": {', '.join(f.id for f in short)}" if short else "")
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "mode": "smoke" if args.smoke else "full",
                    "machine": about,
                    "seconds": round(took, 1),
                    "expected": list(FIGURE_IDS),
                    "figures": [f.as_dict() for f in produced],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
