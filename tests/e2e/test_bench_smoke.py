"""The benchmark still runs: its smoke size, end to end, produces every figure.

Timings are not asserted here (a busy CI machine says nothing about leakbot); the full run and
its results are in docs/performance.md.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_smoke_benchmark_produces_every_figure_with_a_goal(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    figures = {f["id"]: f for f in result["figures"]}
    assert result["expected"] and list(figures) == result["expected"]
    for figure in figures.values():
        assert not math.isnan(figure["value"]), figure
        assert figure["goal"] and figure["verdict"] in ("PASS", "FALLS SHORT", "info")
        assert figure["label"] in done.stdout
    assert result["machine"]["python"] == sys.version.split()[0]
