"""One playbook file → ``Playbook``, with every problem at its line.

Each step is read on its own first (keys, types, durations, inputs); then the steps are checked
together (see ``graph``). The second pass needs the whole file, which is why problems are
gathered, not raised one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leakbot.domain.playbook import CONTRACT_DAY_KEYS, Due, Playbook, Reminders, StepSpec
from leakbot.loading.conditions import PendingCondition, read_close, read_condition
from leakbot.loading.durations import MIN_INTERVAL, read_before, read_duration
from leakbot.loading.graph import check_after, check_conditions, check_cycles
from leakbot.loading.step_inputs import read_inputs
from leakbot.loading.values import NAME, names, optional_text
from leakbot.loading.yamlpos import Located, PathKey, Reader, dotted, load_yaml
from leakbot.operator_errors import Problem

TOP_KEYS = ("id", "name", "steps", "description", "version", "defaults")
DEFAULTS_KEYS = ("remind_every", "escalate_after", "idle_after", "remind_before")
STEP_KEYS = ("id", "title", "owner")
STEP_OPTIONAL = (
    "title_zh",
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

_PLAYBOOK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


# --- one file -------------------------------------------------------------------------------
@dataclass
class ParsedFile:
    file: str
    playbook: Playbook | None
    problems: list[Problem]
    doc: Located | None = None
    notices: list[tuple[str, PathKey]] = field(default_factory=list)  # kind, where named


def step_key(path: PathKey) -> str:
    """Keys inside a step are named from the step (``owner``, ``inputs[1].type``)."""
    if len(path) > 2 and path[0] == "steps" and isinstance(path[1], int):
        return dotted(path[2:])
    return dotted(path)


def parse_file(path: Path) -> ParsedFile:
    doc, problems = load_yaml(path, key_of=step_key)
    file = str(path)
    if doc is None or problems:
        return ParsedFile(file, None, problems, doc)
    if doc.data is None:
        return ParsedFile(file, None, [Problem(file, None, None, "is empty")], doc)
    parsed = ParsedFile(file, None, [], doc)
    r = Reader(doc, key_of=step_key)
    parsed.playbook = PlaybookReader(r, parsed).read()
    parsed.problems = sorted(r.problems, key=lambda p: p.line or 0)
    if parsed.problems:
        parsed.playbook = None
    return parsed


class PlaybookReader:
    """Reads one playbook document; a class only so the passes share the reader and defaults."""

    def __init__(self, r: Reader, parsed: ParsedFile) -> None:
        self.r = r
        self.parsed = parsed
        self.conditions: list[PendingCondition] = []
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
            r.problem(
                ("id",),
                "a playbook id is lower-case letters, digits, `_` or `-`, at most 64 characters",
            )
        name = None if top.get("name") is None else r.text(("name",), top["name"])
        description = optional_text(r, ("description",), top.get("description")) or ""
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

    def _defaults(self, value: Any) -> int:
        r = self.r
        idle = 3 * 24 * 3600
        if value is None:
            return idle
        path: PathKey = ("defaults",)
        m = r.mapping(path, value, optional=DEFAULTS_KEYS)
        if m is None:
            return idle
        if m.get("remind_every") is not None:
            every = read_duration(
                r, (*path, "remind_every"), m["remind_every"], minimum=MIN_INTERVAL
            )
            self.remind_every = every or self.remind_every
        if m.get("escalate_after") is not None:
            self.escalate_after = read_duration(r, (*path, "escalate_after"), m["escalate_after"])
        if m.get("remind_before") is not None:
            self.remind_before = read_before(r, (*path, "remind_before"), m["remind_before"])
        if m.get("idle_after") is not None:
            idle = (
                read_duration(r, (*path, "idle_after"), m["idle_after"], minimum=MIN_INTERVAL)
                or idle
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
        check_after(self.r, set(paths), afters)
        check_cycles(self.r, graph, paths, afters)
        check_conditions(self.r, self.conditions, graph, {s.id: s for s in steps})
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
            if sid is not None and not NAME.match(sid):
                r.problem(
                    (*path, "id"),
                    "a step id is lower-case letters, digits and `_`, at most 64 characters",
                )
                sid = None
        title = optional_text(r, (*path, "title"), m.get("title"))
        title_zh = optional_text(r, (*path, "title_zh"), m.get("title_zh"))
        owner = optional_text(r, (*path, "owner"), m.get("owner"))
        description = optional_text(r, (*path, "description"), m.get("description")) or ""
        after = names(r, (*path, "after"), m["after"], "step id") if "after" in m else []
        notices = (
            names(r, (*path, "notices"), m["notices"], "notice kind") if "notices" in m else []
        )
        self.parsed.notices += [(kind, p) for p, kind in notices]
        optional = False
        if m.get("optional") is not None:
            optional = bool(r.flag((*path, "optional"), m["optional"]))
        due = self._due(path, m)
        inputs = read_inputs(r, (*path, "inputs"), m.get("inputs"))
        reminders = self._reminders((*path, "reminders"), m.get("reminders"))
        when = None
        if m.get("when") is not None and sid is not None:
            when = read_condition(
                r, (*path, "when"), m["when"], sid, self.conditions, may_read_itself=False
            )
        close = None
        if m.get("closes_incident") is not None and sid is not None:
            close = read_close(
                r, (*path, "closes_incident"), m["closes_incident"], sid, self.conditions
            )
        if len(r.problems) > before or sid is None or title is None or owner is None:
            return sid, None, after
        step = StepSpec(
            id=sid,
            title=title,
            title_zh=title_zh,
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
            fallback_seconds = read_duration(self.r, (*path, "due_fallback"), fallback)
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
        seconds = read_duration(self.r, (*path, "due"), due)
        return Due(seconds=seconds) if seconds is not None else None

    def _reminders(self, path: PathKey, value: Any) -> Reminders:
        r = self.r
        every, escalate = self.remind_every, self.escalate_after
        before = self.remind_before
        if value is not None:
            m = r.mapping(path, value, optional=("every", "escalate_after", "before"))
            if m is not None and m.get("every") is not None:
                every = (
                    read_duration(r, (*path, "every"), m["every"], minimum=MIN_INTERVAL) or every
                )
            if m is not None and m.get("escalate_after") is not None:
                escalate = read_duration(r, (*path, "escalate_after"), m["escalate_after"])
            if m is not None and m.get("before") is not None:
                before = read_before(r, (*path, "before"), m["before"])
        return Reminders(
            every_seconds=every, escalate_after_seconds=escalate, before_seconds=before
        )
