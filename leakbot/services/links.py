"""Where an incident lives in Slack (its channel, the kickoff, checklist and announcement),
recorded as the Slack work that creates them makes progress, so a repeat carries on from there."""

from __future__ import annotations

from datetime import datetime

from leakbot.services.deps import Deps


def record_links(deps: Deps, incident_id: int, **fields: str | datetime | None) -> None:
    """Record ``fields`` (``channel_id``, ``channel_name``, ``kickoff_ts``, ``checklist_ts``,
    ``announced_at``) of the incident, in a transaction of their own."""
    with deps.uow() as uow:
        uow.incidents.set_links(incident_id, **fields)
        uow.commit()
