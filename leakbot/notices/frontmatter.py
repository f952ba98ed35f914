"""A template file: its YAML front matter (title, audience, locale, kind, requires, pulled_by)
and body.

The body handed to Jinja keeps the front matter's lines as blank lines, so the line numbers
Jinja reports are the lines of the file the author edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from leakbot.domain.permissions import LEGAL
from leakbot.domain.playbook import COMMANDER
from leakbot.operator_errors import Problem, ProblemsFound

SUFFIX = ".md.j2"
#: ``breach_notice.en.md.j2``: kind, then locale.
FILE_NAME = re.compile(r"^(?P<kind>[a-z][a-z0-9_]*)\.(?P<locale>[a-z]{2}(?:_[A-Za-z]+)?)\.md\.j2$")
REQUIRED_KEYS = ("title", "audience", "locale", "kind")
OPTIONAL_KEYS = ("requires", "description", "pulled_by", "one_per")
#: ``one_per: platform``: one copy of the notice per host where the material appeared.
PER_PLATFORM = "platform"
#: Roles that may pull every notice anyway; ``pulled_by`` names further ones.
ALWAYS_PULL = (LEGAL, COMMANDER)
#: Top-level names of the facts (see leakbot.notices.facts) a ``requires`` path may start with.
FACT_ROOTS = (
    "incident",
    "platform",
    "platforms",
    "sent",
    "people",
    "supplier",
    "company",
    "inputs",
    "steps",
    "penalty",
    "deadlines",
    "timeline",
    "today",
    "timezone",
)
_ROLE = re.compile(r"^[a-z][a-z0-9_-]*$")
_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


@dataclass(frozen=True)
class FrontMatter:
    title: str  # a Jinja expression template, rendered with the same facts as the body
    audience: str
    locale: str
    kind: str
    requires: tuple[str, ...] = ()  # fact paths that must be set, else nothing is drafted
    description: str = ""
    #: config roles that may pull this notice besides legal and the commander
    pulled_by: tuple[str, ...] = ()
    #: "platform": drafted once per host of the incident's URLs; "": once
    one_per: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> file line


@dataclass(frozen=True)
class TemplateFile:
    path: Path
    front: FrontMatter
    body: str  # the Jinja source, front matter blanked out


def is_partial(path: Path) -> bool:
    """``_letterhead.en.md.j2``: included by other templates, not a notice of its own."""
    return path.name.startswith("_")


def read_template(path: Path) -> TemplateFile:
    """The template at ``path``, or ProblemsFound naming each problem with its line.

    The file is read on every call, so an edit takes effect at once; only its parsing is
    remembered, for as long as the text stays the same."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ProblemsFound([Problem(file, None, None, f"cannot be read: {e}")]) from None
    return _template_of(path, text)


@lru_cache(maxsize=256)
def _template_of(path: Path, text: str) -> TemplateFile:
    """``text``, read from ``path``, split and checked (a ProblemsFound is not remembered)."""
    file = str(path)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ProblemsFound([Problem(file, 1, None, "must start with a `---` front matter block")])
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ProblemsFound([Problem(file, 1, None, "the front matter has no closing `---`")])
    front = _parse(file, "".join(lines[1:end]), path.name)
    body = "\n" * (end + 1) + "".join(lines[end + 1 :])
    return TemplateFile(path, front, body)


def _parse(file: str, source: str, name: str) -> FrontMatter:
    key_lines: dict[str, int] = {}
    for number, line in enumerate(source.splitlines(), start=2):
        m = _KEY_LINE.match(line)
        if m:
            key_lines.setdefault(m.group(1), number)
    try:
        data = yaml.safe_load(source) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = int(mark.line) + 2 if mark is not None else 1
        why = getattr(e, "problem", None) or "is not valid YAML"
        raise ProblemsFound(
            [Problem(file, at, None, f"front matter: {why} (quote values that contain `{{`)")]
        ) from None
    if not isinstance(data, dict):
        raise ProblemsFound([Problem(file, 2, None, "front matter must be `key: value` lines")])
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(file, key_lines.get(key, 1), key, message))

    for key in data:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            allowed = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
            problem(str(key), f"is not a front matter key (use {allowed})")
    for key in REQUIRED_KEYS:
        if key not in data:
            problems.append(Problem(file, 1, key, "is missing from the front matter"))
        elif not isinstance(data[key], str) or not data[key].strip():
            problem(key, "must be a non-empty text")
    named = FILE_NAME.match(name)
    if named is None:
        problems.append(Problem(file, None, None, f"name it <kind>.<locale>{SUFFIX}"))
    else:
        for key in ("kind", "locale"):
            if isinstance(data.get(key), str) and data[key] != named.group(key):
                problem(key, f"is `{data[key]}` but the file name says `{named.group(key)}`")
    requires = data.get("requires") or []
    if isinstance(requires, str):
        requires = [requires]
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        problem("requires", "must be a list of fact paths such as `supplier.contract`")
        requires = []
    for path in requires:
        if path.split(".", 1)[0] not in FACT_ROOTS:
            problem("requires", f"`{path}` is not a fact (start with {', '.join(FACT_ROOTS)})")
    pulled_by = data.get("pulled_by") or []
    if isinstance(pulled_by, str):
        pulled_by = [pulled_by]
    if not isinstance(pulled_by, list) or not all(
        isinstance(r, str) and _ROLE.match(r) for r in pulled_by
    ):
        problem("pulled_by", "must be a list of config roles such as `comms`")
        pulled_by = []
    for role in pulled_by:
        if role in ALWAYS_PULL:
            problem("pulled_by", f"`{role}` may pull every notice already; name other roles")
    one_per = data.get("one_per") or ""
    if one_per not in ("", PER_PLATFORM):
        problem("one_per", f"can only be `{PER_PLATFORM}` (one copy per platform)")
    if problems:
        raise ProblemsFound(problems)
    return FrontMatter(
        title=data["title"].strip(),
        audience=data["audience"].strip(),
        locale=data["locale"],
        kind=data["kind"],
        requires=tuple(requires),
        description=str(data.get("description") or ""),
        pulled_by=tuple(dict.fromkeys(pulled_by)),
        one_per=str(one_per),
        lines=key_lines,
    )
