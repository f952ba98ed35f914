"""A figure: one measured number, the goal it is held to, and whether it meets it.

Every part of the benchmark returns figures; ``bench.run`` prints them as they come and can
write them as JSON, so the results in docs/performance.md are copied, never retyped.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """``passed`` is None for a number shown only to explain the others."""

    id: str
    label: str
    value: float
    unit: str
    goal: str
    passed: bool | None
    detail: str = ""

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FALLS SHORT"

    def line(self) -> str:
        shown = _number(self.value)
        text = f"{self.label:<52} {shown:>10} {self.unit:<8} goal {self.goal:<22} {self.verdict}"
        return text + (f"\n{'':<4}{self.detail}" if self.detail else "")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verdict": self.verdict}


def _number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def percentile(samples: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: a sample that was really observed, never interpolated."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else math.nan


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)
