"""Durations in playbooks: ``30m``, ``4h``, ``2d``, ``1w`` or a sum such as ``1d12h``.

``parse_duration`` reads the text; ``read_duration`` and ``read_before`` read a YAML value at a
path and report what is wrong with it to the ``Reader``, minimums included.
"""

from __future__ import annotations

import re
from typing import Any

from leakbot.loading.yamlpos import PathKey, Reader, type_name

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^(?:\d+\s*[mhdw]\s*)+$")
_DURATION_PART = re.compile(r"(\d+)\s*([mhdw])")
MIN_INTERVAL = 5 * 60  # reminders more often than this are noise, not help
MAX_DURATION = 366 * 86400  # beyond a year, a due time is a typo


def parse_duration(text: str) -> int:
    """``30m``, ``4h``, ``2d``, ``1w`` or a sum such as ``1d12h`` → seconds.

    Raises ``ValueError`` with a message fit for the person who wrote it.
    """
    cleaned = text.strip().lower()
    if cleaned.startswith("-"):
        raise ValueError(f"'{text}' is negative; durations count forward")
    if not _DURATION.match(cleaned):
        raise ValueError(f"'{text}' is not a duration such as 30m, 4h, 2d or 1w")
    seconds = sum(int(n) * _UNITS[unit] for n, unit in _DURATION_PART.findall(cleaned))
    if seconds <= 0:
        raise ValueError(f"'{text}' is zero; a duration must be longer than that")
    if seconds > MAX_DURATION:
        raise ValueError(f"'{text}' is longer than a year; check the number")
    return seconds


def read_duration(r: Reader, path: PathKey, value: Any, *, minimum: int = 1) -> int | None:
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            r.problem(path, f"needs a unit: {value}m, {value}h, {value}d or {value}w")
        else:
            r.problem(path, f"must be a duration such as 4h, not {type_name(value)}")
        return None
    try:
        seconds = parse_duration(value)
    except ValueError as e:
        r.problem(path, str(e))
        return None
    if seconds < minimum:
        r.problem(path, f"'{value}' is too short; {minimum // 60}m at least")
        return None
    return seconds


def read_before(r: Reader, path: PathKey, value: Any) -> tuple[int, ...]:
    """Warnings ahead of a due time, largest first; one duration is a list of one."""
    pairs = [(path, value)] if not isinstance(value, list) else r.items(path, value)
    if isinstance(value, list) and not value:
        r.problem(path, "needs at least one duration, e.g. [3d, 1d]")
    found: set[int] = set()
    for item_path, item in pairs:
        seconds = read_duration(r, item_path, item, minimum=MIN_INTERVAL)
        if seconds is not None:
            found.add(seconds)
    return tuple(sorted(found, reverse=True))
