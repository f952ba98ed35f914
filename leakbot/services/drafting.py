"""Drafting notices when the steps that call for them become ready or are completed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from leakbot.domain.config import Supplier
from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.rules import Change
from leakbot.services.committing import timeline
from leakbot.services.deps import Deps, TimelineItem
from leakbot.services.people import names
from leakbot.services.storage import UnitOfWork

_DRAFTING_ACTIONS = ("step.ready", "step.completed")


def steps_to_draft(changes: Iterable[Change]) -> list[str]:
    return list(dict.fromkeys(c.subject for c in changes if c.action in _DRAFTING_ACTIONS))


def steps_still_to_do(incident: Incident) -> list[str]:
    """Ready steps that draft notices: their drafts follow new evidence (a step already done
    keeps the notice it went out with)."""
    return [
        spec.id
        for spec in incident.playbook.steps
        if spec.notices and incident.steps[spec.id].status is StepStatus.READY
    ]


def draft_notices(
    uow: UnitOfWork, deps: Deps, incident: Incident, step_ids: Iterable[str], actor: str
) -> list[tuple[str, str, int]]:
    """Render each notice the steps call for (a notice drafted per platform once for each);
    store it as a new version only if its text changed (so a re-render with the same facts
    keeps the version). People are named as the database knows them: drafting never asks
    Slack. Returns (kind, locale, version) of each new version."""
    if deps.drafter is None:
        return []
    assert incident.id is not None
    supplier = deps.config.supplier(incident.facts.supplier_id)
    kinds = [k for sid in step_ids for k in incident.playbook.step(sid).notices]
    if not kinds:
        return []
    events = timeline(uow, incident)
    evidence = uow.evidence.of_incident(incident.id)
    people = names(uow, _people_in(incident, events))
    latest = {(d.kind, d.locale, d.addressee): d for d in uow.notices.latest(incident.id)}
    made: list[tuple[str, str, int]] = []
    for kind, locale, addressee in _copies(deps, kinds, incident, supplier):
        draft = deps.drafter.render(
            kind, locale, incident, events, evidence, people=people, addressee=addressee
        )
        if draft is None:
            continue
        previous = latest.get((kind, locale, addressee))
        if previous is not None and previous.body == draft.body:
            continue
        row = uow.notices.add_draft(
            incident.id,
            kind,
            locale,
            draft.title,
            draft.audience,
            draft.body,
            hashlib.sha256(draft.body.encode()).hexdigest(),
            actor,
            deps.clock.now(),
            addressee=addressee,
        )
        uow.audit.append(
            incident.id,
            actor,
            "notice.drafted",
            notice_subject(kind, locale, addressee),
            None,
            {"version": row.version},
            deps.clock.now(),
        )
        made.append((kind, locale, row.version))
    return made


def notice_subject(kind: str, locale: str, addressee: str = "") -> str:
    """How the audit log names a notice: ``breach_notice.en``, ``takedown_request.en@host``."""
    return f"{kind}.{locale}@{addressee}" if addressee else f"{kind}.{locale}"


def _copies(
    deps: Deps, kinds: Iterable[str], incident: Incident, supplier: Supplier | None
) -> Iterator[tuple[str, str, str]]:
    assert deps.drafter is not None
    for kind in dict.fromkeys(kinds):
        for locale in deps.drafter.locales(kind, supplier):
            for addressee in deps.drafter.addressees(kind, locale, incident):
                yield kind, locale, addressee


def _people_in(incident: Incident, events: Iterable[TimelineItem]) -> set[str]:
    found = {incident.reporter, incident.commander}
    found |= {e.actor for e in events}
    found |= {s.done_by for s in incident.steps.values() if s.done_by}
    for e in events:
        if isinstance(e.after, dict) and isinstance(e.after.get("commander"), str):
            found.add(e.after["commander"])
    for spec in incident.playbook.steps:
        state = incident.steps.get(spec.id)
        for i in spec.inputs:
            if i.type == "user" and state is not None and state.inputs.get(i.id):
                found.add(str(state.inputs[i.id]))
    return found
