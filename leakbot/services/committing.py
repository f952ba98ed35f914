"""Writing what the rules changed: the incident, its audit entries, the Slack work owed."""

from __future__ import annotations

from collections.abc import Iterable

from leakbot.domain.incident import Incident
from leakbot.domain.rules import Change
from leakbot.services.deps import Deps, TimelineItem
from leakbot.services.owed_work import Effect, Payload
from leakbot.services.people import learn_names
from leakbot.services.storage import UnitOfWork


def record(
    uow: UnitOfWork, deps: Deps, incident: Incident, actor: str, changes: Iterable[Change]
) -> None:
    """Save the incident and append one audit entry per change, in the caller's transaction;
    owe a lookup of the names of the people involved that are not known yet."""
    now = deps.clock.now()
    uow.incidents.save(incident)
    assert incident.id is not None
    for change in changes:
        uow.audit.append(
            incident.id, actor, change.action, change.subject, change.before, change.after, now
        )
    uow.incidents.touch(incident.id, now)
    learn_names(uow, deps, (actor, incident.reporter, incident.commander))


def owe(
    uow: UnitOfWork,
    deps: Deps,
    effect: Effect,
    incident: Incident | None,
    payload: Payload,
    key: str | None = None,
) -> bool:
    return bool(
        uow.outbox.add(
            effect.value,
            payload,
            incident_id=incident.id if incident else None,
            key=key,
            at=deps.clock.now(),
        )
    )


def timeline(uow: UnitOfWork, incident: Incident) -> list[TimelineItem]:
    assert incident.id is not None
    return [
        TimelineItem(at=e.at, actor=e.actor, action=e.action, subject=e.subject, after=e.after)
        for e in uow.audit.entries(incident.id)
    ]
