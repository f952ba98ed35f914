"""Read-only questions: one incident, the open ones, what waits on a person."""

from __future__ import annotations

from dataclasses import dataclass

from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.permissions import is_involved, may_act_on_step
from leakbot.domain.playbook import StepSpec
from leakbot.services.deps import Deps
from leakbot.services.storage import IncidentLinks


@dataclass(frozen=True)
class Waiting:
    incident: Incident
    step: StepSpec


@dataclass(frozen=True)
class Status:
    """An incident as one person may see it: ``involved`` people see its title and facts (and
    its channel), anyone else only what ``/leak list`` shows."""

    incident: Incident
    involved: bool
    channel: str | None = None


def get_incident(deps: Deps, number: int) -> Incident:
    return deps.incident(number)


def incident_in_channel(deps: Deps, channel_id: str) -> Incident | None:
    with deps.read() as uow:
        return uow.incidents.by_channel(channel_id)


def status_of(deps: Deps, number: int, user_id: str) -> Status:
    roles = deps.directory.roles_of(user_id)
    with deps.read() as uow:
        incident = uow.incidents.get(number)
        if not is_involved(user_id, roles, incident):
            return Status(incident, involved=False)
        assert incident.id is not None
        channel = uow.incidents.channels([incident.id]).get(incident.id)
    return Status(incident, involved=True, channel=channel)


def incident_with_links(deps: Deps, number: int) -> tuple[Incident, IncidentLinks]:
    """An incident and where it lives in Slack (its channel, checklist), for the work that
    posts there."""
    with deps.read() as uow:
        incident = uow.incidents.get(number)
        assert incident.id is not None
        return incident, uow.incidents.links(incident.id)


def incident_by_id(deps: Deps, incident_id: int) -> Incident:
    with deps.read() as uow:
        return uow.incidents.get_by_id(incident_id)


@dataclass(frozen=True)
class ChecklistCounts:
    """What the checklist message counts besides its steps."""

    notices: int
    evidence: int


def checklist_counts(deps: Deps, incident_id: int) -> ChecklistCounts:
    with deps.read() as uow:
        return ChecklistCounts(
            notices=len(uow.notices.latest(incident_id)),
            evidence=uow.evidence.count(incident_id),
        )


def open_incidents(deps: Deps) -> list[Incident]:
    with deps.read() as uow:
        return list(uow.incidents.list_open())


def waiting_on(deps: Deps, user_id: str, incidents: list[Incident]) -> list[Waiting]:
    """Ready steps that ``user_id`` may do: their role's, or any if they command."""
    roles = deps.directory.roles_of(user_id)
    found: list[Waiting] = []
    for incident in incidents:
        for spec in incident.playbook.steps:
            ready = incident.steps[spec.id].status is StepStatus.READY
            if ready and may_act_on_step(spec, user_id, roles, incident):
                found.append(Waiting(incident, spec))
    return found


def channels_of(deps: Deps, incidents: list[Incident]) -> dict[int, str]:
    """number -> Slack channel id, for the incidents whose channel is open."""
    numbers = {i.id: i.number for i in incidents if i.id is not None}
    with deps.read() as uow:
        channels = uow.incidents.channels(list(numbers))
    return {numbers[incident_id]: channel for incident_id, channel in channels.items()}
