"""Read-only questions: one incident, the open ones, what waits on a person."""

from __future__ import annotations

from dataclasses import dataclass

from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.playbook import COMMANDER, StepSpec
from leakbot.services.deps import Deps


@dataclass(frozen=True)
class Waiting:
    incident: Incident
    step: StepSpec


def get_incident(deps: Deps, number: int) -> Incident:
    with deps.read() as uow:
        return uow.incidents.get(number)


def incident_in_channel(deps: Deps, channel_id: str) -> Incident | None:
    with deps.read() as uow:
        return uow.incidents.by_channel(channel_id)


def open_incidents(deps: Deps) -> list[Incident]:
    with deps.read() as uow:
        return list(uow.incidents.list_open())


def waiting_on(deps: Deps, user_id: str, incidents: list[Incident]) -> list[Waiting]:
    """Ready steps that ``user_id`` may do: their role's, or any if they command."""
    roles = deps.directory.roles_of(user_id)
    found: list[Waiting] = []
    for incident in incidents:
        for spec in incident.playbook.steps:
            if incident.steps[spec.id].status is not StepStatus.READY:
                continue
            mine = spec.owner in roles or (
                spec.owner == COMMANDER and incident.commander == user_id
            )
            if mine or incident.commander == user_id:
                found.append(Waiting(incident, spec))
    return found


def channels_of(deps: Deps, incidents: list[Incident]) -> dict[int, str]:
    """number -> Slack channel id, for the incidents whose channel is open."""
    numbers = {i.id: i.number for i in incidents if i.id is not None}
    with deps.read() as uow:
        channels = uow.incidents.channels(list(numbers))
    return {numbers[incident_id]: channel for incident_id, channel in channels.items()}
