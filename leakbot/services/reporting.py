"""Reporting a leak: the incident is recorded first; Slack follows from the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from leakbot.domain.incident import Facts, Incident
from leakbot.domain.report import ReportForm, check_report
from leakbot.domain.rules import open_incident
from leakbot.services.committing import owe, record
from leakbot.services.deps import Deps
from leakbot.services.drafting import draft_notices, steps_to_draft
from leakbot.services.owed_work import Effect, IncidentWork
from leakbot.services.storage import DuplicateKey


@dataclass(frozen=True)
class Reported:
    incident: Incident
    created: bool  # False when the same submission was seen before


def check_form(deps: Deps, form: ReportForm) -> None:
    """Raise InvalidInputs for a bad form, without touching the database (before ack)."""
    check_report(form, deps.config, tuple(deps.playbooks), deps.clock.now(), deps.tz)


def report_incident(
    deps: Deps, form: ReportForm, reporter: str, idempotency_key: str | None = None
) -> Reported:
    """Record a new incident from the report form. The same ``idempotency_key`` twice gives the
    first incident back and changes nothing."""
    now = deps.clock.now()
    facts, playbook_id = check_report(form, deps.config, tuple(deps.playbooks), now, deps.tz)
    try:
        return _record(deps, facts, playbook_id, reporter, idempotency_key)
    except DuplicateKey:
        # The same submission, at the same moment, in another thread or process: it won.
        with deps.read() as uow:
            seen = uow.incidents.by_idempotency_key(idempotency_key or "")
        assert seen is not None
        return Reported(seen, created=False)


def _record(
    deps: Deps, facts: Facts, playbook_id: str, reporter: str, idempotency_key: str | None
) -> Reported:
    with deps.uow() as uow:
        if idempotency_key:
            seen = uow.incidents.by_idempotency_key(idempotency_key)
            if seen is not None:
                return Reported(seen, created=False)
        number = uow.incidents.next_number()
        incident, changes = open_incident(
            number=number,
            facts=facts,
            reporter=reporter,
            playbook=deps.playbooks[playbook_id],
            ctx=deps.context(supplier_id=facts.supplier_id),
        )
        uow.incidents.add(incident, idempotency_key=idempotency_key)
        record(uow, deps, incident, reporter, changes)
        draft_notices(uow, deps, incident, steps_to_draft(changes), reporter)
        opening = IncidentWork(number=number)
        owe(uow, deps, Effect.OPEN_INCIDENT, incident, opening, key=f"open:{number}")
        uow.commit()
    deps.after_commit()
    return Reported(incident, created=True)
