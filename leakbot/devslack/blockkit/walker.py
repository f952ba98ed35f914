"""The walk over one surface: the problems found with their pointers, and the checks every
kind of value shares (objects, fields, strings, arrays, text objects, ids)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from leakbot.devslack.blockkit.limits import (
    MAX_ID,
    MAX_TEXT,
    Surface,
)
from leakbot.devslack.blockkit.problems import (
    Problem,
    length,
)
from leakbot.devslack.blockkit.shapes import (
    TEXT_FIELDS,
)


class Walker:
    """Walks one surface, collecting problems with their pointers."""

    def __init__(self, surface: Surface) -> None:
        self.surface = surface
        self.problems: list[Problem] = []
        self.block_ids: dict[str, str] = {}

    def add(self, at: str, message: str) -> None:
        self.problems.append(Problem(at, message))

    # -- generic checks ----------------------------------------------------------------------

    def obj(self, at: str, value: Any) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(at, "must provide an object")
            return None
        return value

    def fields(
        self, at: str, value: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str]
    ) -> None:
        allowed = frozenset(allowed)
        for key in value:
            if key not in allowed:
                self.add(at, f"invalid additional property: {key}")
        for key in required:
            if value.get(key) is None:
                self.add(at, f"missing required field: {key}")

    def string(self, at: str, value: Any, limit: int, *, empty: bool = False) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.add(at, "must be a string")
        elif not value and not empty:
            self.add(at, "must be more than 0 characters")
        elif length(value) > limit:
            self.add(at, f"must be less than {limit + 1} characters")

    def array(self, at: str, value: Any, limit: int, *, minimum: int = 1) -> list[Any]:
        if not isinstance(value, list):
            self.add(at, "must provide an array")
            return []
        if len(value) > limit:
            self.add(at, f"no more than {limit} items allowed")
        elif len(value) < minimum:
            self.add(at, f"must provide at least {minimum} item{'s' if minimum > 1 else ''}")
        return value

    def flag(self, at: str, value: Any) -> None:
        if value is not None and not isinstance(value, bool):
            self.add(at, "must be a boolean")

    def text(self, at: str, value: Any, limit: int, *, plain_only: bool = False) -> None:
        """A text object; ``limit`` is the field's own limit (never above 3,000)."""
        text = self.obj(at, value)
        if text is None:
            return
        kind = text.get("type")
        if kind not in TEXT_FIELDS:
            self.add(f"{at}/type", f"unsupported type: {kind}")
            return
        if plain_only and kind != "plain_text":
            self.add(f"{at}/type", "must be plain_text")
        self.fields(at, text, TEXT_FIELDS[kind], ("text",))
        self.string(f"{at}/text", text.get("text"), min(limit, MAX_TEXT))
        self.flag(f"{at}/emoji", text.get("emoji"))
        self.flag(f"{at}/verbatim", text.get("verbatim"))

    def identifier(self, at: str, value: Any) -> None:
        self.string(at, value, MAX_ID)
