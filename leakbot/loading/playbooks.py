"""Playbook YAML → ``Playbook``, with every problem at its file and line.

A playbook is checked in two passes: first each step on its own (keys, types, durations,
inputs), then the steps together (unknown or circular dependencies, conditions that read a step
that does not come first). The second pass needs the whole file, which is why problems are
gathered, not raised one by one. See docs/playbooks.md for the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leakbot.domain.config import Config
from leakbot.domain.playbook import (
    CONTRACT_DAY_KEYS,
    FACT_PATHS,
    INPUT_TYPES,
    Choice,
    CloseRule,
    Condition,
    Due,
    InputSpec,
    Playbook,
    Reminders,
    StepSpec,
)
from leakbot.errors import Problem, ProblemsFound
from leakbot.loading.config import check_roles
from leakbot.loading.yamlpos import Located, PathKey, Reader, dotted, load_yaml, type_name

TOP_KEYS = ("id", "name", "steps", "description", "version", "defaults")
DEFAULTS_KEYS = ("remind_every", "escalate_after", "idle_after", "remind_before")
STEP_KEYS = ("id", "title", "owner")
STEP_OPTIONAL = (
    "description",
    "after",
    "due",
    "due_fallback",
    "inputs",
    "notices",
    "optional",
    "when",
    "closes_incident",
    "reminders",
)
INPUT_OPTIONAL = ("type", "required", "default", "default_from", "hint", "options")
CONDITION_TESTS = ("equals", "not_equals", "in", "is_set")
CLOSE_OUTCOMES = ("false_alarm", "closed")
TEMPLATE_SUFFIX = ".md.j2"

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^(?:\d+\s*[mhdw]\s*)+$")
_DURATION_PART = re.compile(r"(\d+)\s*([mhdw])")
_PLAYBOOK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # step and input ids, notice kinds: no dots
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


def load_playbook(path: Path) -> Playbook:
    parsed = _parse_file(Path(path))
    if parsed.problems or parsed.playbook is None:
        raise ProblemsFound(parsed.problems)
    return parsed.playbook


def load_playbooks(dir_or_paths: Path | str | Iterable[Path | str]) -> list[Playbook]:
    """Every playbook of a folder (``*.yaml``, ``*.yml``) or of the files named; problems of all
    files together, including the same playbook id used twice."""
    files, problems = playbook_files(dir_or_paths)
    parsed = [_parse_file(f) for f in files]
    problems += [p for one in parsed for p in one.problems] + _duplicate_ids(parsed)
    if problems:
        raise ProblemsFound(problems)
    return [one.playbook for one in parsed if one.playbook is not None]


def check_playbooks(
    paths: Path | str | Iterable[Path | str],
    config: Config | None,
    templates_dir: Path | None,
) -> list[Problem]:
    """All that ``load_playbooks`` checks, plus the roles against ``config`` and a template for
    each notice a step drafts. Returns the problems (empty when everything is fine)."""
    files, problems = playbook_files(paths)
    parsed = [_parse_file(f) for f in files]
    problems += [p for one in parsed for p in one.problems] + _duplicate_ids(parsed)
    playbooks = [one.playbook for one in parsed if one.playbook is not None]
    if config is not None:
        problems += check_roles(config, playbooks)
    if templates_dir is not None:
        problems += _template_problems(parsed, Path(templates_dir))
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


def playbook_files(
    dir_or_paths: Path | str | Iterable[Path | str],
) -> tuple[list[Path], list[Problem]]:
    """The YAML files named or found in the folders named, in a stable order."""
    given = [dir_or_paths] if isinstance(dir_or_paths, str | Path) else list(dir_or_paths)
    files: list[Path] = []
    problems: list[Problem] = []
    for item in map(Path, given):
        if item.is_dir():
            found = sorted([*item.glob("*.yaml"), *item.glob("*.yml")])
            if not found:
                problems.append(Problem(str(item), None, None, "has no playbooks (*.yaml)"))
            files += found
        elif item.is_file():
            files.append(item)
        else:
            problems.append(Problem(str(item), None, None, "no such file or folder"))
    if not given:
        problems.append(Problem("playbooks", None, None, "no playbook files were given"))
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:  # a file named twice (or inside a folder also named) is read once
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, problems


# --- one file -------------------------------------------------------------------------------
@dataclass
class _Parsed:
    file: str
    playbook: Playbook | None
    problems: list[Problem]
    doc: Located | None = None
    notices: list[tuple[str, PathKey]] = field(default_factory=list)  # kind, where named


@dataclass
class _Cond:
    """A condition waiting for the second pass, which knows every step."""

    path: PathKey
    cond: Condition
    step_id: str
    may_read_itself: bool


def _step_key(path: PathKey) -> str:
    """Keys inside a step are named from the step (``owner``, ``inputs[1].type``)."""
    if len(path) > 2 and path[0] == "steps" and isinstance(path[1], int):
        return dotted(path[2:])
    return dotted(path)


def _parse_file(path: Path) -> _Parsed:
    doc, problems = load_yaml(path, key_of=_step_key)
    file = str(path)
    if doc is None or problems:
        return _Parsed(file, None, problems, doc)
    if doc.data is None:
        return _Parsed(file, None, [Problem(file, None, None, "is empty")], doc)
    parsed = _Parsed(file, None, [], doc)
    r = Reader(doc, key_of=_step_key)
    parsed.playbook = _PlaybookReader(r, parsed).read()
    parsed.problems = sorted(r.problems, key=lambda p: p.line or 0)
    if parsed.problems:
        parsed.playbook = None
    return parsed


def _duplicate_ids(parsed: list[_Parsed]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for one in parsed:
        if one.playbook is None or one.doc is None:
            continue
        pid = one.playbook.id
        if pid in seen:
            line = one.doc.line(("id",))
            message = f"playbook id '{pid}' is already used by {seen[pid]}"
            problems.append(Problem(one.file, line, "id", message))
        else:
            seen[pid] = one.file
    return problems


def _template_problems(parsed: list[_Parsed], templates_dir: Path) -> list[Problem]:
    if not templates_dir.is_dir():
        return [Problem(str(templates_dir), None, None, "templates folder not found")]
    problems: list[Problem] = []
    for one in parsed:
        if one.playbook is None or one.doc is None:
            continue
        for kind, path in one.notices:
            if not any(templates_dir.glob(f"{kind}.*{TEMPLATE_SUFFIX}")):
                problems.append(
                    Problem(
                        one.file,
                        one.doc.line(path),
                        "notices",
                        f"no template for notice '{kind}' "
                        f"(expected {kind}.<locale>{TEMPLATE_SUFFIX} in {templates_dir})",
                    )
                )
    return problems


class _PlaybookReader:
    """Reads one playbook document; a class only so the passes share the reader and defaults."""

    def __init__(self, r: Reader, parsed: _Parsed) -> None:
        self.r = r
        self.parsed = parsed
        self.conditions: list[_Cond] = []
        self.remind_every = 24 * 3600
        self.escalate_after: int | None = None
        self.remind_before: tuple[int, ...] = ()

    def read(self) -> Playbook | None:
        r = self.r
        top = r.mapping((), r.doc.data, required=("id", "name", "steps"), optional=TOP_KEYS[3:])
        if top is None:
            return None
        pid = None if top.get("id") is None else r.text(("id",), top["id"])
        if pid is not None and not _PLAYBOOK_ID.match(pid):
            r.problem(("id",), "a playbook id is lower-case letters, digits, `_` or `-`")
        name = None if top.get("name") is None else r.text(("name",), top["name"])
        description = self._optional_text(("description",), top.get("description")) or ""
        version = "1"
        if top.get("version") is not None:
            v = top["version"]
            version = str(v) if isinstance(v, int | float) else r.text(("version",), v) or "1"
        idle = self._defaults(top.get("defaults"))
        steps = self._steps(top.get("steps"))
        if r.problems or pid is None or name is None:
            return None
        return Playbook(
            id=pid,
            name=name,
            steps=tuple(steps),
            description=description,
            version=version,
            idle_after_seconds=idle,
            source=self.parsed.file,
        )

    # --- small values ---------------------------------------------------------------------
    def _optional_text(self, path: PathKey, value: Any) -> str | None:
        return None if value is None else self.r.text(path, value)

    def _duration(self, path: PathKey, value: Any, *, minimum: int = 1) -> int | None:
        if not isinstance(value, str):
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.r.problem(path, f"needs a unit: {value}m, {value}h, {value}d or {value}w")
            else:
                self.r.problem(path, f"must be a duration such as 4h, not {type_name(value)}")
            return None
        try:
            seconds = parse_duration(value)
        except ValueError as e:
            self.r.problem(path, str(e))
            return None
        if seconds < minimum:
            self.r.problem(path, f"'{value}' is too short; {minimum // 60}m at least")
            return None
        return seconds

    def _names(self, path: PathKey, value: Any, what: str) -> list[tuple[PathKey, str]]:
        """A list of ids (a single id is taken as a list of one), each with its path."""
        pairs = [(path, value)] if isinstance(value, str) else self.r.items(path, value)
        found: list[tuple[PathKey, str]] = []
        for item_path, item in pairs:
            text = self.r.text(item_path, item)
            if text is None:
                continue
            if not _NAME.match(text):
                self.r.problem(item_path, f"'{text}' is not a {what} (lower-case, digits, `_`)")
                continue
            found.append((item_path, text))
        return found

    def _defaults(self, value: Any) -> int:
        idle = 3 * 24 * 3600
        if value is None:
            return idle
        path: PathKey = ("defaults",)
        m = self.r.mapping(path, value, optional=DEFAULTS_KEYS)
        if m is None:
            return idle
        if m.get("remind_every") is not None:
            every = self._duration((*path, "remind_every"), m["remind_every"], minimum=MIN_INTERVAL)
            self.remind_every = every or self.remind_every
        if m.get("escalate_after") is not None:
            self.escalate_after = self._duration((*path, "escalate_after"), m["escalate_after"])
        if m.get("remind_before") is not None:
            self.remind_before = self._before((*path, "remind_before"), m["remind_before"])
        if m.get("idle_after") is not None:
            idle = (
                self._duration((*path, "idle_after"), m["idle_after"], minimum=MIN_INTERVAL) or idle
            )
        return idle

    # --- steps ----------------------------------------------------------------------------
    def _steps(self, value: Any) -> list[StepSpec]:
        if value is None:
            return []
        items = self.r.items(("steps",), value)
        if isinstance(value, list) and not value:
            self.r.problem(("steps",), "a playbook needs at least one step")
        steps: list[StepSpec] = []
        paths: dict[str, PathKey] = {}
        afters: dict[str, list[tuple[PathKey, str]]] = {}
        for path, item in items:
            sid, step, after = self._step(path, item)
            if sid is None:
                continue
            if sid in paths:
                first = self.r.doc.line((*paths[sid], "id"))
                self.r.problem((*path, "id"), f"duplicate step id '{sid}' (first on line {first})")
                continue
            paths[sid] = path  # known even when the step itself has problems
            afters[sid] = after
            if step is not None:
                steps.append(step)
        # The graph holds every step that has an id, even one with problems of its own, so a
        # broken step does not make its neighbours look wrong too.
        graph = {sid: [dep for _, dep in after] for sid, after in afters.items()}
        self._check_after(set(paths), afters)
        self._check_cycles(graph, paths)
        self._check_conditions(graph, {s.id: s for s in steps})
        return steps

    def _step(
        self, path: PathKey, value: Any
    ) -> tuple[str | None, StepSpec | None, list[tuple[PathKey, str]]]:
        """The step's id, the step (None if it has problems) and its `after` with paths."""
        r = self.r
        m = r.mapping(path, value, required=STEP_KEYS, optional=STEP_OPTIONAL)
        if m is None:
            return None, None, []
        before = len(r.problems)
        sid = None
        if m.get("id") is not None:
            sid = r.text((*path, "id"), m["id"])
            if sid is not None and not _NAME.match(sid):
                r.problem((*path, "id"), "a step id is lower-case letters, digits and `_`")
                sid = None
        title = self._optional_text((*path, "title"), m.get("title"))
        owner = self._optional_text((*path, "owner"), m.get("owner"))
        description = self._optional_text((*path, "description"), m.get("description")) or ""
        after = self._names((*path, "after"), m["after"], "step id") if "after" in m else []
        notices = (
            self._names((*path, "notices"), m["notices"], "notice kind") if "notices" in m else []
        )
        self.parsed.notices += [(kind, p) for p, kind in notices]
        optional = False
        if m.get("optional") is not None:
            optional = bool(r.flag((*path, "optional"), m["optional"]))
        due = self._due(path, m)
        inputs = self._inputs((*path, "inputs"), m.get("inputs"))
        reminders = self._reminders((*path, "reminders"), m.get("reminders"))
        when = None
        if m.get("when") is not None and sid is not None:
            when = self._condition((*path, "when"), m["when"], sid, may_read_itself=False)
        close = None
        if m.get("closes_incident") is not None and sid is not None:
            close = self._close((*path, "closes_incident"), m["closes_incident"], sid)
        if len(r.problems) > before or sid is None or title is None or owner is None:
            return sid, None, after
        step = StepSpec(
            id=sid,
            title=title,
            owner=owner,
            description=description,
            after=tuple(dict.fromkeys(name for _, name in after)),
            due=due,
            inputs=tuple(inputs),
            notices=tuple(dict.fromkeys(kind for _, kind in notices)),
            optional=optional,
            when=when,
            closes_incident=close,
            reminders=reminders,
            line=r.doc.line(path),
        )
        return sid, step, after

    def _due(self, path: PathKey, m: dict[str, Any]) -> Due | None:
        due, fallback = m.get("due"), m.get("due_fallback")
        fallback_seconds = None
        if fallback is not None:
            fallback_seconds = self._duration((*path, "due_fallback"), fallback)
        if due is None:
            if fallback is not None:
                self.r.problem((*path, "due_fallback"), "only goes with `due: contract.<key>`")
            return None
        if isinstance(due, str) and due.strip().startswith("contract."):
            key = due.strip().removeprefix("contract.")
            if key not in CONTRACT_DAY_KEYS:
                known = ", ".join(f"contract.{k}" for k in CONTRACT_DAY_KEYS)
                self.r.problem((*path, "due"), f"'{due}' is not a contract value; use {known}")
                return None
            return Due(contract_days=key, fallback_seconds=fallback_seconds)
        if fallback is not None:
            self.r.problem(
                (*path, "due_fallback"),
                "only goes with `due: contract.<key>`; a fixed `due` needs no fallback",
            )
        seconds = self._duration((*path, "due"), due)
        return Due(seconds=seconds) if seconds is not None else None

    def _reminders(self, path: PathKey, value: Any) -> Reminders:
        every, escalate = self.remind_every, self.escalate_after
        before = self.remind_before
        if value is not None:
            m = self.r.mapping(path, value, optional=("every", "escalate_after", "before"))
            if m is not None and m.get("every") is not None:
                every = self._duration((*path, "every"), m["every"], minimum=MIN_INTERVAL) or every
            if m is not None and m.get("escalate_after") is not None:
                escalate = self._duration((*path, "escalate_after"), m["escalate_after"])
            if m is not None and m.get("before") is not None:
                before = self._before((*path, "before"), m["before"])
        return Reminders(
            every_seconds=every, escalate_after_seconds=escalate, before_seconds=before
        )

    def _before(self, path: PathKey, value: Any) -> tuple[int, ...]:
        """Warnings ahead of a due time, largest first; one duration is a list of one."""
        pairs = [(path, value)] if not isinstance(value, list) else self.r.items(path, value)
        if isinstance(value, list) and not value:
            self.r.problem(path, "needs at least one duration, e.g. [3d, 1d]")
        found: set[int] = set()
        for item_path, item in pairs:
            seconds = self._duration(item_path, item, minimum=MIN_INTERVAL)
            if seconds is not None:
                found.add(seconds)
        return tuple(sorted(found, reverse=True))

    # --- inputs ---------------------------------------------------------------------------
    def _inputs(self, path: PathKey, value: Any) -> list[InputSpec]:
        if value is None:
            return []
        found: list[InputSpec] = []
        for item_path, item in self.r.items(path, value):
            spec = self._input(item_path, item)
            if spec is None:
                continue
            if any(s.id == spec.id for s in found):
                self.r.problem((*item_path, "id"), f"duplicate input id '{spec.id}'")
                continue
            found.append(spec)
        return found

    def _input(self, path: PathKey, value: Any) -> InputSpec | None:
        r = self.r
        m = r.mapping(path, value, required=("id", "label"), optional=INPUT_OPTIONAL)
        if m is None:
            return None
        before = len(r.problems)
        iid = self._optional_text((*path, "id"), m.get("id"))
        if iid is not None and not _NAME.match(iid):
            r.problem((*path, "id"), "an input id is lower-case letters, digits and `_`")
        label = self._optional_text((*path, "label"), m.get("label"))
        kind = "text"
        if m.get("type") is not None:
            kind = self._optional_text((*path, "type"), m["type"]) or kind
            if kind not in INPUT_TYPES:
                r.problem(
                    (*path, "type"),
                    f"unknown input type '{kind}'; one of: {', '.join(INPUT_TYPES)}",
                )
        required = True
        if m.get("required") is not None:
            required = bool(r.flag((*path, "required"), m["required"]))
        hint = self._optional_text((*path, "hint"), m.get("hint"))
        options = self._options(path, m, kind)
        default = None
        if m.get("default") is not None:
            default = self._literal((*path, "default"), m["default"])
        default_from = self._optional_text((*path, "default_from"), m.get("default_from"))
        if default_from is not None and default_from not in FACT_PATHS:
            r.problem(
                (*path, "default_from"),
                f"'{default_from}' is not a known fact; one of: {', '.join(FACT_PATHS)}",
            )
        if default is not None and default_from is not None:
            r.problem((*path, "default"), "give either `default` or `default_from`, not both")
        if default is not None and options and default not in [o.value for o in options]:
            r.problem((*path, "default"), f"'{default}' is not one of the options")
        if len(r.problems) > before or iid is None or label is None:
            return None
        return InputSpec(
            id=iid,
            label=label,
            type=kind,  # type: ignore[arg-type]  # checked against INPUT_TYPES above
            required=required,
            options=tuple(options),
            default=default,
            default_from=default_from,
            hint=hint,
        )

    def _options(self, path: PathKey, m: dict[str, Any], kind: str) -> list[Choice]:
        value = m.get("options")
        if kind != "choice":
            if value is not None:
                self.r.problem(
                    (*path, "options"), f"only a `choice` input has options, not `{kind}`"
                )
            return []
        if value is None or (isinstance(value, list) and not value):
            self.r.problem((*path, "options"), "a choice needs options", line_of=(*path, "type"))
            return []
        options: list[Choice] = []
        for item_path, item in self.r.items((*path, "options"), value):
            if isinstance(item, dict):
                o = self.r.mapping(item_path, item, required=("value",), optional=("label",))
                val = self._literal((*item_path, "value"), o.get("value")) if o else None
                label = self._optional_text((*item_path, "label"), o.get("label")) if o else None
            else:
                val = label = self._literal(item_path, item)
            if val is None:
                continue
            if any(c.value == val for c in options):
                self.r.problem(item_path, f"option '{val}' is listed twice")
                continue
            options.append(Choice(value=val, label=label or val))
        return options

    def _literal(self, path: PathKey, value: Any) -> str | None:
        """A YAML scalar as the text an input would hold (``yes`` unquoted is ``true``)."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if hasattr(value, "isoformat") and not isinstance(value, dict | list):
            return str(value.isoformat())
        return self.r.text(path, value)

    # --- conditions -----------------------------------------------------------------------
    def _condition(
        self, path: PathKey, value: Any, step_id: str, *, may_read_itself: bool
    ) -> Condition | None:
        r = self.r
        m = r.mapping(path, value, required=("input",), optional=CONDITION_TESTS)
        if m is None:
            return None
        ref = self._optional_text((*path, "input"), m.get("input"))
        if ref is not None and not re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", ref):
            r.problem((*path, "input"), f"'{ref}' should name `step.input`, e.g. confirm.verdict")
            ref = None
        tests = [t for t in CONDITION_TESTS if t in m]
        if len(tests) != 1:
            r.problem(path, f"needs exactly one of: {', '.join(CONDITION_TESTS)}")
            return None
        test = tests[0]
        tpath = (*path, test)
        equals = not_equals = None
        in_: tuple[str, ...] | None = None
        is_set = None
        if test == "is_set":
            is_set = r.flag(tpath, m[test])
        elif test == "in":
            in_ = tuple(v for p, x in r.items(tpath, m[test]) if (v := self._literal(p, x)))
        elif test == "equals":
            equals = self._literal(tpath, m[test])
        else:
            not_equals = self._literal(tpath, m[test])
        if ref is None:
            return None
        cond = Condition(input=ref, equals=equals, not_equals=not_equals, in_=in_, is_set=is_set)
        self.conditions.append(_Cond(path, cond, step_id, may_read_itself))
        return cond

    def _close(self, path: PathKey, value: Any, step_id: str) -> CloseRule | None:
        m = self.r.mapping(path, value, required=("when",), optional=("outcome",))
        if m is None:
            return None
        outcome = "false_alarm"
        if m.get("outcome") is not None:
            outcome = self._optional_text((*path, "outcome"), m["outcome"]) or outcome
            if outcome not in CLOSE_OUTCOMES:
                self.r.problem((*path, "outcome"), f"must be one of: {', '.join(CLOSE_OUTCOMES)}")
        if m.get("when") is None:
            return None
        cond = self._condition((*path, "when"), m["when"], step_id, may_read_itself=True)
        return CloseRule(when=cond, outcome=outcome) if cond else None

    # --- the steps together ---------------------------------------------------------------
    def _check_after(self, known: set[str], afters: dict[str, list[tuple[PathKey, str]]]) -> None:
        for sid, after in afters.items():
            for item_path, dep in after:
                if dep == sid:
                    self.r.problem(item_path, f"step '{sid}' cannot come after itself")
                elif dep not in known:
                    self.r.problem(item_path, f"unknown step '{dep}' (no step has this id)")

    def _check_cycles(self, graph: dict[str, list[str]], paths: dict[str, PathKey]) -> None:
        order = {sid: i for i, sid in enumerate(paths)}
        state: dict[str, int] = {}  # 1: on the current path, 2: finished
        stack: list[str] = []
        reported: set[frozenset[str]] = set()

        def visit(sid: str) -> None:
            state[sid] = 1
            stack.append(sid)
            for dep in graph.get(sid, ()):
                if state.get(dep) == 1:
                    cycle = stack[stack.index(dep) :]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        first = min(cycle, key=order.__getitem__)
                        start = cycle.index(first)
                        ring = cycle[start:] + cycle[:start]
                        # read as "a comes after b": the arrow follows `after`
                        shown = " → ".join([*ring, first])
                        self.r.problem(
                            (*paths[first], "after"),
                            f"dependency cycle: {shown} (each step waits for the next)",
                        )
                elif dep in graph and dep not in state:
                    visit(dep)
            stack.pop()
            state[sid] = 2

        for sid in graph:
            if sid not in state:
                visit(sid)

    def _check_conditions(self, graph: dict[str, list[str]], by_id: dict[str, StepSpec]) -> None:
        for c in self.conditions:
            ipath = (*c.path, "input")
            if c.cond.step_id not in graph:
                self.r.problem(ipath, f"unknown step '{c.cond.step_id}'")
                continue
            earlier = _ancestors(c.step_id, graph)
            if c.may_read_itself:
                earlier.add(c.step_id)
            if c.cond.step_id not in earlier:
                if c.cond.step_id == c.step_id:
                    why = "a step's `when` is decided before it starts, so it cannot read itself"
                else:
                    why = f"add it to `after` of '{c.step_id}'"
                self.r.problem(
                    ipath, f"step '{c.cond.step_id}' does not come before '{c.step_id}'; {why}"
                )
                continue
            target = by_id.get(c.cond.step_id)
            if target is None:
                continue  # that step has problems of its own, already reported
            spec = target.input(c.cond.input_id)
            if spec is None:
                self.r.problem(ipath, f"step '{target.id}' has no input '{c.cond.input_id}'")
                continue
            if spec.type != "choice":
                continue
            values = [o.value for o in spec.options]
            wanted = [("equals", c.cond.equals), ("not_equals", c.cond.not_equals)]
            wanted += [("in", v) for v in c.cond.in_ or ()]
            for test, val in wanted:
                if val is not None and val not in values:
                    self.r.problem(
                        (*c.path, test),
                        f"'{val}' is not an option of {c.cond.input}; one of: {', '.join(values)}",
                    )


def _ancestors(step_id: str, graph: dict[str, list[str]]) -> set[str]:
    """Every step ``step_id`` waits for, directly or through others."""
    found: set[str] = set()
    frontier = list(graph.get(step_id, ()))
    while frontier:
        cur = frontier.pop()
        if cur in found or cur not in graph:
            continue
        found.add(cur)
        frontier += graph[cur]
    return found
