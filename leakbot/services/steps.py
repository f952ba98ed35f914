"""Completing, reopening and skipping steps; closing an incident; handing over command.

Each use case locks the incident row, applies one rule, records the change and its audit
entries, drafts what the change calls for and records the Slack work owed — one transaction.
Two people completing the same step at once: the second waits for the first's commit, then is
told who did it (``AlreadyDone``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from leakbot.domain import rules
from leakbot.domain.errors import NotFound
from leakbot.domain.incident import Incident, IncidentStatus
from leakbot.domain.inputs import validate_inputs
from leakbot.domain.penalty import PENALTY_FACT, assess, check_entered
from leakbot.domain.permissions import require_step_actor
from leakbot.domain.playbook import StepSpec
from leakbot.domain.rules import Change, Context
from leakbot.services.committing import owe, record
from leakbot.services.deps import Deps, Frame
from leakbot.services.drafting import draft_notices, steps_to_draft
from leakbot.services.owed_work import Effect, IncidentWork, ThreadNote


@dataclass(frozen=True)
class Outcome:
    incident: Incident
    changes: tuple[Change, ...]


def _apply(
    deps: Deps,
    number: int,
    actor: str,
    note: ThreadNote,
    rule: Callable[[Incident, frozenset[str], Context], list[Change]],
    also: tuple[tuple[Effect, str], ...] = (),
) -> Outcome:
    roles = deps.directory.roles_of(actor)
    with deps.uow() as uow:
        incident = uow.incidents.get(number, for_update=True)
        changes = rule(incident, roles, deps.context(incident))
        record(uow, deps, incident, actor, changes)
        draft_notices(uow, deps, incident, steps_to_draft(changes), actor)
        owe(uow, deps, Effect.REFRESH_CHECKLIST, incident, IncidentWork(number=number))
        owe(uow, deps, Effect.THREAD_NOTE, incident, note)
        for effect, key in also:
            owe(uow, deps, effect, incident, IncidentWork(number=number), key=key)
        uow.commit()
    deps.after_commit()
    return Outcome(incident, tuple(changes))


def penalty_amount(deps: Deps, supplier_id: str | None) -> Decimal | None:
    """The contract's liquidated damages for one breach (capped), if the contract sets any."""
    supplier = deps.config.supplier(supplier_id)
    assessed = assess(supplier.contract if supplier else None)
    return assessed.amount if assessed else None


def check_inputs(
    deps: Deps, supplier_id: str | None, spec: StepSpec, raw: Mapping[str, str | None]
) -> dict[str, object]:
    """Validated inputs of a step; a penalty that departs from the contract needs a reason."""
    supplier = deps.config.supplier(supplier_id)
    penalty = supplier.contract.penalty if supplier and supplier.contract else None
    values = validate_inputs(spec, raw, penalty.currency if penalty else None)
    check_entered(spec, values, penalty_amount(deps, supplier_id))
    return values


def check_answers(deps: Deps, number: int, step_id: str, raw: Mapping[str, str | None]) -> None:
    """InvalidInputs for answers ``complete_step`` would refuse, from what never changes in an
    incident (its frozen playbook and supplier), so a modal's mistakes are answered at once;
    who may act, and whether the step is still open, are checked by ``complete_step``."""
    frame = deps.frames.get(number)
    if frame is None:
        incident = deps.incident(number)
        frame = deps.frames.put(number, Frame(incident.playbook, incident.facts.supplier_id))
    spec = next((s for s in frame.playbook.steps if s.id == step_id), None)
    if spec is None:
        raise NotFound(f"LEAK-{number} has no step `{step_id}`.")
    check_inputs(deps, frame.supplier_id, spec, raw)


def step_to_complete(
    deps: Deps, number: int, step_id: str, actor: str
) -> tuple[Incident, StepSpec]:
    """The incident and the ready step ``actor`` may complete now (to show its inputs modal);
    ``Refused``, with nothing changed, when they may not."""
    incident = deps.incident(number)
    return incident, rules.check_can_act(incident, step_id, actor, deps.directory.roles_of(actor))


def step_to_change(deps: Deps, number: int, step_id: str, actor: str) -> tuple[Incident, StepSpec]:
    """The incident and the step ``actor`` may reopen or skip (to ask why); ``Refused`` when
    they may not. Whether the step can be reopened or skipped is checked with the reason."""
    incident = deps.incident(number)
    spec = incident.playbook.step(incident.state(step_id).step_id)
    require_step_actor(spec, actor, deps.directory.roles_of(actor), incident)
    return incident, spec


def complete_step(
    deps: Deps, number: int, step_id: str, actor: str, raw: Mapping[str, str | None] | None = None
) -> Outcome:
    def rule(incident: Incident, roles: frozenset[str], ctx: Context) -> list[Change]:
        spec = rules.check_can_act(incident, step_id, actor, roles)
        values = check_inputs(deps, incident.facts.supplier_id, spec, raw or {})
        return rules.complete_step(
            incident, step_id, actor=actor, roles=roles, values=values, ctx=ctx
        )

    note = ThreadNote(number=number, actor=actor, event="completed", step_id=step_id)
    return _apply(deps, number, actor, note, rule)


def reopen_step(deps: Deps, number: int, step_id: str, actor: str, reason: str) -> Outcome:
    def rule(incident: Incident, roles: frozenset[str], ctx: Context) -> list[Change]:
        return rules.reopen_step(
            incident, step_id, actor=actor, roles=roles, reason=reason, ctx=ctx
        )

    note = ThreadNote(number=number, actor=actor, event="reopened", step_id=step_id, reason=reason)
    return _apply(deps, number, actor, note, rule)


def skip_step(deps: Deps, number: int, step_id: str, actor: str, reason: str) -> Outcome:
    def rule(incident: Incident, roles: frozenset[str], ctx: Context) -> list[Change]:
        return rules.skip_step(incident, step_id, actor=actor, roles=roles, reason=reason, ctx=ctx)

    note = ThreadNote(number=number, actor=actor, event="skipped", step_id=step_id, reason=reason)
    return _apply(deps, number, actor, note, rule)


def close_incident(
    deps: Deps, number: int, actor: str, reason: str, false_alarm: bool = False
) -> Outcome:
    outcome = IncidentStatus.FALSE_ALARM if false_alarm else IncidentStatus.CLOSED

    def rule(incident: Incident, roles: frozenset[str], ctx: Context) -> list[Change]:
        return rules.close_incident(incident, actor=actor, outcome=outcome, reason=reason, ctx=ctx)

    note = ThreadNote(
        number=number, actor=actor, event="closed", outcome=outcome.value, reason=reason
    )
    return _apply(deps, number, actor, note, rule)


def hand_over(deps: Deps, number: int, actor: str, new_commander: str) -> Outcome:
    def rule(incident: Incident, roles: frozenset[str], ctx: Context) -> list[Change]:
        return rules.change_commander(incident, actor=actor, new_commander=new_commander)

    note = ThreadNote(number=number, actor=actor, event="commander", commander=new_commander)
    # Opening the incident again is safe to repeat: it only invites whoever is missing.
    invite = ((Effect.OPEN_INCIDENT, f"open:{number}:commander:{new_commander}"),)
    return _apply(deps, number, actor, note, rule, also=invite)


def prefill(deps: Deps, incident: Incident, spec: StepSpec) -> dict[str, str]:
    """What a step's modal shows before anyone types: the answers given before (a reopened
    step), else the playbook's default or the incident/supplier fact it names."""
    supplier = deps.config.supplier(incident.facts.supplier_id)
    contract = supplier.contract if supplier else None
    facts: dict[str, Any] = {
        "incident.title": incident.facts.title,
        "incident.asset": incident.facts.asset,
        "incident.where_seen": " ".join(incident.facts.where_seen),
        "incident.discovered_at": (
            incident.facts.discovered_at.date().isoformat()
            if incident.facts.discovered_at
            else None
        ),
        "incident.severity": incident.facts.severity,
        "incident.description": incident.facts.description,
        "supplier.name": supplier.name if supplier else None,
        "supplier.contract.reference": contract.reference if contract else None,
        "supplier.contract.clause": contract.clause if contract else None,
        "supplier.contract.rectification_days": (
            str(contract.rectification_days) if contract and contract.rectification_days else None
        ),
    }
    amount = penalty_amount(deps, incident.facts.supplier_id)
    if amount is not None and contract and contract.penalty:
        facts[PENALTY_FACT] = f"{contract.penalty.currency} {amount:,.2f}"
    previous = incident.steps[spec.id].inputs
    values: dict[str, str] = {}
    for field in spec.inputs:
        old = previous.get(field.id)
        if isinstance(old, dict) and "amount" in old:
            values[field.id] = f"{old['currency']} {Decimal(old['amount']):,.2f}"
        elif old not in (None, ""):
            values[field.id] = str(old)
        elif field.default is not None:
            values[field.id] = field.default
        elif field.default_from and facts.get(field.default_from):
            values[field.id] = str(facts[field.default_from])
    return values
