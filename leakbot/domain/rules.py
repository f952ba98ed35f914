"""The rules of a leak response: readiness, completion, reopening, skipping, closing.

Each function changes an ``Incident`` in place and returns the ``Change``s it made, which the
service layer writes to the audit log in the same transaction. A refusal raises ``Refused``
before anything is changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from leakbot.domain.errors import AlreadyDone, IncidentClosed, NotReady, Refused
from leakbot.domain.incident import Facts, Incident, IncidentStatus, StepState, StepStatus
from leakbot.domain.permissions import require_commander, require_step_actor
from leakbot.domain.playbook import Condition, Playbook, StepSpec

FINISHED = (StepStatus.DONE, StepStatus.SKIPPED)


@dataclass(frozen=True)
class Change:
    """One thing that happened, as the audit log records it."""

    action: str
    subject: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


@dataclass(frozen=True)
class Context:
    """What the rules need besides the incident: the time, the zone and contract values."""

    now: datetime
    tz: ZoneInfo
    contract_days: Mapping[str, int]


# --- due times ------------------------------------------------------------------------------
def due_at(step: StepSpec, ready_at: datetime, ctx: Context) -> datetime | None:
    """The due time of a step that became ready at ``ready_at``.

    Offsets are added on the wall clock of ``ctx.tz`` (so ``2d`` is two calendar days even across
    a daylight-saving change) and the result is returned in UTC.
    """
    if step.due is None:
        return None
    if step.due.contract_days is not None and step.due.contract_days in ctx.contract_days:
        offset = timedelta(days=ctx.contract_days[step.due.contract_days])
    elif step.due.seconds is not None:
        offset = timedelta(seconds=step.due.seconds)
    elif step.due.fallback_seconds is not None:
        offset = timedelta(seconds=step.due.fallback_seconds)
    else:
        return None
    local = ready_at.astimezone(ctx.tz)
    return (local + offset).astimezone(ready_at.tzinfo)


# --- conditions -----------------------------------------------------------------------------
def evaluate(cond: Condition, incident: Incident) -> bool | None:
    """True/False once the step the condition reads is finished; None while it is not."""
    state = incident.steps.get(cond.step_id)
    if state is None or state.status not in FINISHED:
        return None
    value = state.inputs.get(cond.input_id) if state.status is StepStatus.DONE else None
    if cond.is_set is not None:
        return (value not in (None, "")) == cond.is_set
    if cond.equals is not None:
        return value == cond.equals
    if cond.not_equals is not None:
        return value != cond.not_equals
    if cond.in_ is not None:
        return value in cond.in_
    return None


# --- opening and advancing ------------------------------------------------------------------
def open_incident(
    *, number: int, facts: Facts, reporter: str, playbook: Playbook, ctx: Context
) -> tuple[Incident, list[Change]]:
    incident = Incident(
        number=number,
        facts=facts,
        reporter=reporter,
        commander=reporter,
        playbook=playbook,
        opened_at=ctx.now,
        steps={s.id: StepState(step_id=s.id) for s in playbook.steps},
    )
    changes = [
        Change(
            "incident.opened",
            incident.ref,
            after={"playbook": playbook.id, "severity": facts.severity, "reporter": reporter},
        )
    ]
    changes += advance(incident, ctx)
    return incident, changes


def advance(incident: Incident, ctx: Context) -> list[Change]:
    """Make every pending step whose dependencies are finished ready, or skip it if its
    condition does not hold; repeat until nothing moves. Closes a finished incident."""
    changes: list[Change] = []
    moved = True
    while moved and incident.is_open:
        moved = False
        for spec in incident.playbook.steps:
            state = incident.steps[spec.id]
            if state.status is not StepStatus.PENDING:
                continue
            if any(incident.steps[d].status not in FINISHED for d in spec.after):
                continue
            applies = True if spec.when is None else evaluate(spec.when, incident)
            if applies is None:
                continue
            moved = True
            if applies:
                state.status = StepStatus.READY
                state.ready_at = ctx.now
                state.due_at = due_at(spec, ctx.now, ctx)
                changes.append(
                    Change(
                        "step.ready",
                        spec.id,
                        after={"due_at": state.due_at.isoformat() if state.due_at else None},
                    )
                )
            else:
                state.status = StepStatus.SKIPPED
                state.note = "its condition did not hold"
                changes.append(Change("step.skipped", spec.id, after={"reason": state.note}))
    if incident.is_open and all(s.status in FINISHED for s in incident.steps.values()):
        changes.append(_close(incident, IncidentStatus.CLOSED, None, "every step finished", ctx))
    return changes


def waiting_for(incident: Incident, step_id: str) -> tuple[str, ...]:
    spec = incident.playbook.step(step_id)
    return tuple(d for d in spec.after if incident.steps[d].status not in FINISHED)


# --- acting on a step -----------------------------------------------------------------------
def _check_open_step(
    incident: Incident, spec: StepSpec, actor: str, roles: frozenset[str]
) -> StepState:
    if not incident.is_open:
        raise IncidentClosed(f"{incident.ref} is closed; nothing was changed.")
    require_step_actor(spec, actor, roles, incident)
    state = incident.state(spec.id)
    if state.status in FINISHED:
        verb = "completed" if state.status is StepStatus.DONE else "skipped"
        who = f" by <@{state.done_by}>" if state.done_by else ""
        raise AlreadyDone(
            f"“{spec.title}” was already {verb}{who}.", by=state.done_by, at=state.done_at
        )
    if state.status is StepStatus.PENDING:
        waits = waiting_for(incident, spec.id)
        titles = ", ".join(f"“{incident.playbook.step(w).title}”" for w in waits)
        raise NotReady(f"“{spec.title}” waits for {titles or 'its condition'}.", waits)
    return state


def check_can_act(incident: Incident, step_id: str, actor: str, roles: frozenset[str]) -> StepSpec:
    """Refuse (without changing anything) unless ``actor`` may act on the ready step now."""
    spec = _spec(incident, step_id)
    _check_open_step(incident, spec, actor, roles)
    return spec


def complete_step(
    incident: Incident,
    step_id: str,
    *,
    actor: str,
    roles: frozenset[str],
    values: dict[str, Any],
    ctx: Context,
) -> list[Change]:
    """Mark a ready step done with its validated input ``values`` (see domain.inputs)."""
    spec = _spec(incident, step_id)
    state = _check_open_step(incident, spec, actor, roles)
    _finish(state, StepStatus.DONE, actor, ctx, None)
    state.inputs = dict(values)
    changes = [
        Change("step.completed", step_id, before={"status": "ready"}, after={"inputs": values})
    ]
    rule = spec.closes_incident
    if rule is not None and evaluate(rule.when, incident):
        outcome = IncidentStatus(rule.outcome)
        changes.append(_close(incident, outcome, actor, f"“{spec.title}”: {rule.outcome}", ctx))
        return changes
    return changes + advance(incident, ctx)


def skip_step(
    incident: Incident,
    step_id: str,
    *,
    actor: str,
    roles: frozenset[str],
    reason: str,
    ctx: Context,
) -> list[Change]:
    spec = _spec(incident, step_id)
    if not spec.optional:
        raise Refused(f"“{spec.title}” is not optional; it cannot be skipped.")
    if not reason.strip():
        raise Refused("Say why the step is skipped.")
    state = _check_open_step(incident, spec, actor, roles)
    _finish(state, StepStatus.SKIPPED, actor, ctx, reason.strip())
    changes = [Change("step.skipped", step_id, after={"reason": state.note, "by": actor})]
    return changes + advance(incident, ctx)


def reopen_step(
    incident: Incident,
    step_id: str,
    *,
    actor: str,
    roles: frozenset[str],
    reason: str,
    ctx: Context,
) -> list[Change]:
    """Reopen a finished step; everything that depends on it waits again.

    On a closed incident only the commander may reopen, and doing so reopens the incident
    (e.g. a leak wrongly called a false alarm).
    """
    spec = _spec(incident, step_id)
    require_step_actor(spec, actor, roles, incident)
    if not reason.strip():
        raise Refused("Say why the step is reopened.")
    changes: list[Change] = []
    if not incident.is_open:
        require_commander(actor, incident, "reopen a step of a closed incident")
        before = incident.status.value
        incident.status = IncidentStatus.OPEN
        incident.closed_at = incident.closed_by = incident.close_reason = None
        changes.append(
            Change("incident.reopened", incident.ref, {"status": before}, {"status": "open"})
        )
    state = incident.state(step_id)
    if state.status not in FINISHED:
        raise Refused(f"“{spec.title}” is not finished; there is nothing to reopen.")
    changes.append(
        Change(
            "step.reopened",
            step_id,
            before={"status": state.status.value, "by": state.done_by},
            after={"reason": reason.strip()},
        )
    )
    state.status = StepStatus.READY
    state.done_by = state.done_at = None
    state.note = reason.strip()
    state.ready_at = ctx.now
    state.due_at = due_at(spec, ctx.now, ctx)
    for dep_id in incident.playbook.dependents(step_id):
        dep = incident.steps[dep_id]
        if dep.status is StepStatus.PENDING:
            continue
        changes.append(
            Change(
                "step.blocked",
                dep_id,
                before={"status": dep.status.value},
                after={"after": step_id},
            )
        )
        dep.status = StepStatus.PENDING
        dep.done_by = dep.done_at = dep.ready_at = dep.due_at = None
        dep.note = f"waits again: “{spec.title}” was reopened"
    # Steps skipped because the incident closed come back too.
    for other_id, other in incident.steps.items():
        if other.status is StepStatus.SKIPPED and other.note == _CLOSED_NOTE:
            other.status = StepStatus.PENDING
            other.note = None
            changes.append(Change("step.blocked", other_id, before={"status": "skipped"}))
    return changes + advance(incident, ctx)


# --- the incident as a whole ----------------------------------------------------------------
_CLOSED_NOTE = "the incident was closed"


def _close(
    incident: Incident, outcome: IncidentStatus, actor: str | None, reason: str, ctx: Context
) -> Change:
    before = incident.status.value
    incident.status = outcome
    incident.closed_at = ctx.now
    incident.closed_by = actor
    incident.close_reason = reason
    for state in incident.steps.values():
        if state.status not in FINISHED:
            state.status = StepStatus.SKIPPED
            state.note = _CLOSED_NOTE
    return Change(
        "incident.closed",
        incident.ref,
        {"status": before},
        {"status": outcome.value, "reason": reason},
    )


def close_incident(
    incident: Incident, *, actor: str, outcome: IncidentStatus, reason: str, ctx: Context
) -> list[Change]:
    """The commander closes the incident early (resolved or false alarm)."""
    require_commander(actor, incident, "close it")
    if not incident.is_open:
        raise IncidentClosed(f"{incident.ref} is already closed.")
    if not reason.strip():
        raise Refused("Say why the incident is closed.")
    return [_close(incident, outcome, actor, reason.strip(), ctx)]


def change_commander(incident: Incident, *, actor: str, new_commander: str) -> list[Change]:
    require_commander(actor, incident, "hand over command")
    before = incident.commander
    incident.commander = new_commander
    return [
        Change(
            "commander.changed", incident.ref, {"commander": before}, {"commander": new_commander}
        )
    ]


def _finish(
    state: StepState, status: StepStatus, actor: str, ctx: Context, note: str | None
) -> None:
    state.status = status
    state.done_by = actor
    state.done_at = ctx.now
    state.note = note


def _spec(incident: Incident, step_id: str) -> StepSpec:
    incident.state(step_id)  # raises NotFound with the incident's ref
    return incident.playbook.step(step_id)
