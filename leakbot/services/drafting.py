"""Drafting notices when the steps that call for them become ready or are completed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.rules import Change
from leakbot.services.deps import Deps
from leakbot.services.recording import timeline

if TYPE_CHECKING:
    from leakbot.store.uow import UnitOfWork

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
    """Render each notice the steps call for; store it as a new version only if its text
    changed (so a re-render with the same facts keeps the version). Returns (kind, locale,
    version) of each new version."""
    if deps.drafter is None:
        return []
    assert incident.id is not None
    supplier = deps.config.supplier(incident.facts.supplier_id)
    kinds = [k for sid in step_ids for k in incident.playbook.step(sid).notices]
    if not kinds:
        return []
    events = timeline(uow, incident)
    evidence = uow.evidence.of_incident(incident.id)
    latest = {(d.kind, d.locale): d for d in uow.notices.latest(incident.id)}
    made: list[tuple[str, str, int]] = []
    for kind in dict.fromkeys(kinds):
        for locale in deps.drafter.locales(kind, supplier):
            draft = deps.drafter.render(kind, locale, incident, events, evidence)
            if draft is None:
                continue
            previous = latest.get((kind, locale))
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
            )
            uow.audit.append(
                incident.id,
                actor,
                "notice.drafted",
                f"{kind}.{locale}",
                None,
                {"version": row.version},
                deps.clock.now(),
            )
            made.append((kind, locale, row.version))
    return made
