"""A step's ``when`` and ``closes_incident``: conditions on an input of a step.

Each condition read here is also kept as a ``PendingCondition``: whether the step it reads comes
first is known only once every step is read (see ``graph.check_conditions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from leakbot.domain.playbook import CloseRule, Condition
from leakbot.loading.values import literal, optional_text
from leakbot.loading.yamlpos import PathKey, Reader

CONDITION_TESTS = ("equals", "not_equals", "in", "is_set")
CLOSE_OUTCOMES = ("false_alarm", "closed")


@dataclass
class PendingCondition:
    """A condition waiting for the second pass, which knows every step."""

    path: PathKey
    cond: Condition
    step_id: str
    may_read_itself: bool
    #: where each value of an ``in`` list stands, in the order of ``cond.in_``
    in_paths: tuple[PathKey, ...] = ()


def read_condition(
    r: Reader,
    path: PathKey,
    value: Any,
    step_id: str,
    pending: list[PendingCondition],
    *,
    may_read_itself: bool,
) -> Condition | None:
    m = r.mapping(path, value, required=("input",), optional=CONDITION_TESTS)
    if m is None:
        return None
    ref = optional_text(r, (*path, "input"), m.get("input"))
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
    in_paths: tuple[PathKey, ...] = ()
    is_set = None
    if test == "is_set":
        is_set = r.flag(tpath, m[test])
    elif test == "in":
        read = [(p, v) for p, x in r.items(tpath, m[test]) if (v := literal(r, p, x))]
        in_ = tuple(v for _, v in read)
        in_paths = tuple(p for p, _ in read)
    elif test == "equals":
        equals = literal(r, tpath, m[test])
    else:
        not_equals = literal(r, tpath, m[test])
    if ref is None:
        return None
    cond = Condition(input=ref, equals=equals, not_equals=not_equals, in_=in_, is_set=is_set)
    pending.append(PendingCondition(path, cond, step_id, may_read_itself, in_paths))
    return cond


def read_close(
    r: Reader, path: PathKey, value: Any, step_id: str, pending: list[PendingCondition]
) -> CloseRule | None:
    m = r.mapping(path, value, required=("when",), optional=("outcome",))
    if m is None:
        return None
    outcome = "false_alarm"
    if m.get("outcome") is not None:
        outcome = optional_text(r, (*path, "outcome"), m["outcome"]) or outcome
        if outcome not in CLOSE_OUTCOMES:
            r.problem((*path, "outcome"), f"must be one of: {', '.join(CLOSE_OUTCOMES)}")
    if m.get("when") is None:
        return None
    cond = read_condition(r, (*path, "when"), m["when"], step_id, pending, may_read_itself=True)
    return CloseRule(when=cond, outcome=outcome) if cond else None
