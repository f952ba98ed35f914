"""One thing Slack refuses, as Slack words it, and the answer a call carrying such things gets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from leakbot.devslack.blockkit.limits import (
    Surface,
)


@dataclass(frozen=True)
class Problem:
    """One thing Slack refuses, at the JSON pointer of the value that breaks the rule."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} [json-pointer:{self.pointer}]"


def error_body(kind: Surface, problems: Sequence[Problem]) -> dict[str, Any]:
    """Slack's answer to a call carrying ``problems``: ``invalid_blocks`` for a message,
    ``invalid_arguments`` for a view, each problem in ``response_metadata.messages``."""
    return {
        "ok": False,
        "error": "invalid_blocks" if kind == "message" else "invalid_arguments",
        "errors": [str(p) for p in problems],
        "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
    }


def length(text: str) -> int:
    """``text``'s length in UTF-16 code units (never less than Slack counts)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def escape_key(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
