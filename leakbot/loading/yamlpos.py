"""YAML that remembers where each key and item stood, so every problem can name its line.

PyYAML's safe loader forgets positions once values are built; here the composed node tree is
walked by hand instead, giving plain dicts and lists plus a side table ``path -> line``. A
``Reader`` then checks shapes and types against that table and collects every problem rather
than stopping at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml

from leakbot.operator_errors import Problem

PathKey = tuple[str | int, ...]
T = TypeVar("T")
_MAX_DEPTH = 40


def dotted(path: PathKey) -> str:
    """``("suppliers", 0, "id")`` → ``suppliers[0].id``: how keys are named in messages."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass
class Located:
    """A YAML document as plain values, with the 1-based line of every key and item."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    #: the text of each unquoted decimal number as written (``9.10`` reads as the float 9.1)
    written: dict[PathKey, str] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None


def load_yaml(
    path: Path, key_of: Callable[[PathKey], str] = dotted
) -> tuple[Located | None, list[Problem]]:
    """Read and parse ``path``; unreadable or invalid YAML comes back as problems, never raised."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(file, None, None, "no such file")]
    except IsADirectoryError:
        return None, [Problem(file, None, None, "is a folder, not a file")]
    except UnicodeDecodeError:
        return None, [Problem(file, None, None, "is not UTF-8 text")]
    except OSError as e:
        return None, [Problem(file, None, None, f"cannot be read ({e.strerror})")]
    return parse_yaml(text, file, key_of)


def parse_yaml(
    text: str, file: str, key_of: Callable[[PathKey], str] = dotted
) -> tuple[Located | None, list[Problem]]:
    """Parse ``text`` (named ``file`` in messages); ``key_of`` names keys as the caller does."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        message = f"invalid YAML: {e.problem or e.context or 'cannot be parsed'}"
        if "<block" in message:  # PyYAML's words for an indentation mistake
            message += " (check the indentation of this line and the one above)"
        return None, [Problem(file, line, None, message)]
    except yaml.YAMLError as e:
        return None, [Problem(file, None, None, f"invalid YAML: {e}")]
    finally:
        loader.dispose()
    located = Located(file, None)
    if node is None:
        return located, []
    located.lines[()] = node.start_mark.line + 1
    problems: list[Problem] = []
    located.data = _build(node, (), located, problems, loader, key_of)
    return located, problems


def _build(
    node: yaml.Node,
    path: PathKey,
    located: Located,
    problems: list[Problem],
    loader: yaml.SafeLoader,
    key_of: Callable[[PathKey], str],
) -> Any:
    file = located.file
    if len(path) > _MAX_DEPTH:  # a recursive alias (`&a [*a]`) would never end
        problems.append(Problem(file, node.start_mark.line + 1, None, "nested too deeply"))
        return None
    if isinstance(node, yaml.MappingNode):
        try:
            loader.flatten_mapping(node)  # resolves `<<:` merge keys
        except yaml.MarkedYAMLError as e:
            line = e.problem_mark.line + 1 if e.problem_mark else node.start_mark.line + 1
            problems.append(Problem(file, line, key_of(path) or None, f"invalid YAML: {e.problem}"))
            return {}
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(file, line, key_of(path) or None, "a key must be a name"))
                continue
            key = str(key_node.value)
            if key in result:
                first = located.lines.get((*path, key))
                problems.append(
                    Problem(
                        file, line, key_of((*path, key)), f"duplicate key (first on line {first})"
                    )
                )
                continue
            located.lines[(*path, key)] = line
            result[key] = _build(value_node, (*path, key), located, problems, loader, key_of)
        return result
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        for index, item in enumerate(node.value):
            located.lines[(*path, index)] = item.start_mark.line + 1
            items.append(_build(item, (*path, index), located, problems, loader, key_of))
        return items
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":float"):
        located.written[path] = str(node.value)
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as e:
        line = node.start_mark.line + 1
        problems.append(Problem(file, line, key_of(path) or None, f"invalid value: {e}"))
        return None


# --- checking shapes ------------------------------------------------------------------------
_TYPE_NAMES: dict[type, str] = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping of keys to values",
}


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, datetime | date):
        return "a date"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class Reader:
    """Checks a ``Located`` document piece by piece and gathers every problem it finds.

    ``key_of`` turns a path into the key a message names; playbooks use it to name keys
    relative to their step, so a message reads ``owner`` rather than ``steps[3].owner``.
    """

    def __init__(self, doc: Located, key_of: Callable[[PathKey], str] = dotted) -> None:
        self.doc = doc
        self.key_of = key_of
        self.problems: list[Problem] = []

    def problem(self, path: PathKey, message: str, *, line_of: PathKey | None = None) -> None:
        line = self.doc.line(path if line_of is None else line_of)
        self.problems.append(Problem(self.doc.file, line, self.key_of(path) or None, message))

    def mapping(
        self,
        path: PathKey,
        value: Any,
        *,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """The mapping at ``path`` with unknown keys reported and missing ones named."""
        if not isinstance(value, dict):
            self.problem(path, f"must be a mapping of keys to values, not {type_name(value)}")
            return None
        required = tuple(required)
        known = (*required, *optional)
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(known)}"
                self.problem((*path, key), f"unknown key; {hint}")
        for key in required:
            if value.get(key) is None:
                if key in value:
                    self.problem((*path, key), "is required and cannot be empty")
                else:
                    self.problem((*path, key), "is required but missing", line_of=path)
        return value

    def text(self, path: PathKey, value: Any, *, numbers: bool = False) -> str | None:
        """A string; with ``numbers`` an unquoted whole number is taken as its digits."""
        if isinstance(value, str):
            if not value.strip():
                self.problem(path, "cannot be empty")
                return None
            return value.strip()
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.problem(path, f"must be text, not {type_name(value)}")
        return None

    def flag(self, path: PathKey, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        self.problem(path, f"must be true or false, not {type_name(value)}")
        return None

    def whole(self, path: PathKey, value: Any, *, minimum: int | None = None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, f"must be a whole number, not {type_name(value)}")
            return None
        if minimum is not None and value < minimum:
            self.problem(path, f"must be at least {minimum}, not {value}")
            return None
        return value

    def items(self, path: PathKey, value: Any) -> list[tuple[PathKey, Any]]:
        """``(path, item)`` for each item of the list at ``path``; a problem if it is no list."""
        if not isinstance(value, list):
            self.problem(path, f"must be a list, not {type_name(value)}")
            return []
        return [((*path, i), item) for i, item in enumerate(value)]

    def each(self, path: PathKey, value: Any, check: Callable[[PathKey, Any], T | None]) -> list[T]:
        """Every item of a list checked by ``check``; items that fail are left out."""
        found: list[T] = []
        for item_path, item in self.items(path, value):
            checked = check(item_path, item)
            if checked is not None:
                found.append(checked)
        return found
