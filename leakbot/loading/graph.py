"""The steps of a playbook together: unknown or circular dependencies, and conditions that read
a step which does not come first.

``graph`` maps each step id to the ids in its ``after``; it holds every step that has an id,
even one with problems of its own.
"""

from __future__ import annotations

from leakbot.domain.playbook import StepSpec
from leakbot.loading.conditions import PendingCondition
from leakbot.loading.yamlpos import PathKey, Reader


def check_after(r: Reader, known: set[str], afters: dict[str, list[tuple[PathKey, str]]]) -> None:
    for sid, after in afters.items():
        for item_path, dep in after:
            if dep == sid:
                r.problem(item_path, f"step '{sid}' cannot come after itself")
            elif dep not in known:
                r.problem(item_path, f"unknown step '{dep}' (no step has this id)")


def check_cycles(
    r: Reader,
    graph: dict[str, list[str]],
    paths: dict[str, PathKey],
    afters: dict[str, list[tuple[PathKey, str]]],
) -> None:
    """A cycle is reported once, at the entry under ``after`` of its first step that names the
    next step of the cycle."""
    order = {sid: i for i, sid in enumerate(paths)}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(sid: str) -> None:
        state[sid] = 1
        stack.append(sid)
        for dep in graph.get(sid, ()):
            if dep == sid:
                continue  # a step after itself is reported by check_after
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    first = min(cycle, key=order.__getitem__)
                    start = cycle.index(first)
                    ring = cycle[start:] + cycle[:start]
                    # read as "a comes after b": the arrow follows `after`
                    shown = " → ".join([*ring, first])
                    entry = next(
                        (p for p, dep in afters.get(first, ()) if dep == ring[1 % len(ring)]),
                        (*paths[first], "after"),
                    )
                    r.problem(
                        entry,
                        f"dependency cycle: {shown} (each step waits for the next)",
                    )
            elif dep in graph and dep not in state:
                visit(dep)
        stack.pop()
        state[sid] = 2

    for sid in graph:
        if sid not in state:
            visit(sid)


def check_conditions(
    r: Reader,
    conditions: list[PendingCondition],
    graph: dict[str, list[str]],
    by_id: dict[str, StepSpec],
) -> None:
    for c in conditions:
        ipath = (*c.path, "input")
        if c.cond.step_id not in graph:
            r.problem(ipath, f"unknown step '{c.cond.step_id}'")
            continue
        earlier = ancestors(c.step_id, graph)
        if c.may_read_itself:
            earlier.add(c.step_id)
        if c.cond.step_id not in earlier:
            if c.cond.step_id == c.step_id:
                why = "a step's `when` is decided before it starts, so it cannot read itself"
            else:
                why = f"add it to `after` of '{c.step_id}'"
            r.problem(ipath, f"step '{c.cond.step_id}' does not come before '{c.step_id}'; {why}")
            continue
        target = by_id.get(c.cond.step_id)
        if target is None:
            continue  # that step has problems of its own, already reported
        spec = target.input(c.cond.input_id)
        if spec is None:
            r.problem(ipath, f"step '{target.id}' has no input '{c.cond.input_id}'")
            continue
        if spec.type != "choice":
            continue
        values = [o.value for o in spec.options]
        wanted: list[tuple[PathKey, str | None]] = [
            ((*c.path, "equals"), c.cond.equals),
            ((*c.path, "not_equals"), c.cond.not_equals),
        ]
        wanted += list(zip(c.in_paths, c.cond.in_ or (), strict=False))
        for at, val in wanted:
            if val is not None and val not in values:
                r.problem(
                    at,
                    f"'{val}' is not an option of {c.cond.input}; one of: {', '.join(values)}",
                )


def ancestors(step_id: str, graph: dict[str, list[str]]) -> set[str]:
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
