"""Small values in a playbook: optional text, lists of ids, and scalars read as input text."""

from __future__ import annotations

import re
from typing import Any

from leakbot.loading.yamlpos import PathKey, Reader

#: Step and input ids, notice kinds: no dots, at most MAX_ID characters.
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Ids travel inside Slack's action ids, block ids and option values (at most 150 characters
# with their prefixes), so they stay short; choices and inputs stop at what Slack shows.
MAX_ID = 64
MAX_CHOICE_VALUE = 150  # Slack's limit for an option's value
MAX_CHOICES = 100  # options in one Slack menu
MAX_INPUTS = 98  # input blocks in one modal, next to the step's description


def optional_text(r: Reader, path: PathKey, value: Any) -> str | None:
    return None if value is None else r.text(path, value)


def names(r: Reader, path: PathKey, value: Any, what: str) -> list[tuple[PathKey, str]]:
    """A list of ids (a single id is taken as a list of one), each with its path."""
    pairs = [(path, value)] if isinstance(value, str) else r.items(path, value)
    found: list[tuple[PathKey, str]] = []
    for item_path, item in pairs:
        text = r.text(item_path, item)
        if text is None:
            continue
        if not NAME.match(text):
            r.problem(
                item_path,
                f"'{text}' is not a {what} (lower-case, digits, `_`, at most {MAX_ID} characters)",
            )
            continue
        found.append((item_path, text))
    return found


def literal(r: Reader, path: PathKey, value: Any) -> str | None:
    """A YAML scalar as the text an input would hold (``yes`` unquoted is ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if hasattr(value, "isoformat") and not isinstance(value, dict | list):
        return str(value.isoformat())
    return r.text(path, value)
