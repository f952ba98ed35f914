"""Reminder slots: what is due now, read with indexed queries, and the claim of each slot.

The queries cost what is due, not what exists: ready steps come from the
``step_states(status, due_at)`` index, idle incidents from ``incidents(status,
last_activity_at)``, and each reads its incident's frozen playbook in the same statement (no
query per incident). A slot is claimed by inserting its row; the unique key makes a second
insert of the same slot do nothing, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from leakbot.domain.incident import IncidentStatus, StepStatus
from leakbot.domain.playbook import Playbook
from leakbot.services.storage import DueStep, IdleIncident
from leakbot.store.models import IncidentRecord, ReminderRecord, StepStateRecord

IDLE = "idle"
#: ``step_id`` of a slot about no step (an idle nudge); see ``ReminderRecord``.
NO_STEP = ""


@dataclass(frozen=True)
class SlotRow:
    incident_id: int
    step_id: str
    kind: str
    slot_at: datetime


class ReminderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._playbooks: dict[int, Playbook] = {}

    # --- what is due ------------------------------------------------------------------------
    def due_steps(self, until: datetime) -> list[DueStep]:
        """Ready steps of open incidents due at or before ``until``, soonest first."""
        stmt = (
            select(
                StepStateRecord.incident_id,
                IncidentRecord.number,
                StepStateRecord.step_id,
                StepStateRecord.ready_at,
                StepStateRecord.due_at,
                IncidentRecord.playbook,
            )
            .join(StepStateRecord.incident)
            .where(
                StepStateRecord.status == StepStatus.READY.value,
                StepStateRecord.due_at.is_not(None),
                StepStateRecord.due_at <= until,
                IncidentRecord.status == IncidentStatus.OPEN.value,
            )
            .order_by(StepStateRecord.due_at, IncidentRecord.number, StepStateRecord.step_id)
        )
        return [
            DueStep(iid, number, step_id, ready_at, due_at, self._playbook(iid, frozen))
            for iid, number, step_id, ready_at, due_at, frozen in self.session.execute(stmt)
        ]

    def idle_incidents(self, quiet_since: datetime) -> list[IdleIncident]:
        """Open incidents with no activity since ``quiet_since`` and no idle nudge since their
        last activity (a nudged incident waits for new activity before it can be nudged again)."""
        nudged = exists().where(
            ReminderRecord.incident_id == IncidentRecord.id,
            ReminderRecord.kind == IDLE,
            ReminderRecord.slot_at > IncidentRecord.last_activity_at,
        )
        stmt = (
            select(
                IncidentRecord.id,
                IncidentRecord.number,
                IncidentRecord.last_activity_at,
                IncidentRecord.playbook,
            )
            .where(
                IncidentRecord.status == IncidentStatus.OPEN.value,
                IncidentRecord.last_activity_at <= quiet_since,
                ~nudged,
            )
            .order_by(IncidentRecord.number)
        )
        return [
            IdleIncident(iid, number, last, self._playbook(iid, frozen))
            for iid, number, last, frozen in self.session.execute(stmt)
        ]

    # --- claiming a slot --------------------------------------------------------------------
    def step_still_due(self, incident_id: int, step_id: str, due_at: datetime) -> bool:
        """Lock the incident and check the step is still ready with the same due time: a step
        completed or reopened since the sweep read it owes nothing for the old due time."""
        stmt = (
            select(StepStateRecord.id)
            .join(StepStateRecord.incident)
            .where(
                IncidentRecord.id == incident_id,
                IncidentRecord.status == IncidentStatus.OPEN.value,
                StepStateRecord.step_id == step_id,
                StepStateRecord.status == StepStatus.READY.value,
                StepStateRecord.due_at == due_at,
            )
            .with_for_update(of=IncidentRecord)
        )
        return self.session.execute(stmt).first() is not None

    def still_idle(self, incident_id: int, last_activity_at: datetime) -> bool:
        """Lock the incident and check nothing happened in it since the sweep read it."""
        stmt = (
            select(IncidentRecord.id)
            .where(
                IncidentRecord.id == incident_id,
                IncidentRecord.status == IncidentStatus.OPEN.value,
                IncidentRecord.last_activity_at == last_activity_at,
            )
            .with_for_update()
        )
        return self.session.execute(stmt).first() is not None

    def claim(
        self, incident_id: int, step_id: str | None, kind: str, slot_at: datetime, now: datetime
    ) -> bool:
        """Take the slot; False (and nothing written) when some sweep took it before."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(ReminderRecord)
            .values(
                incident_id=incident_id,
                step_id=step_id or NO_STEP,
                kind=kind,
                slot_at=slot_at,
                created_at=now,
            )
            .on_conflict_do_nothing(
                index_elements=[
                    ReminderRecord.incident_id,
                    ReminderRecord.step_id,
                    ReminderRecord.kind,
                    ReminderRecord.slot_at,
                ]
            )
            .returning(ReminderRecord.id)
        )
        return self.session.execute(stmt).first() is not None

    def slots(self, incident_id: int | None = None) -> list[SlotRow]:
        """Claimed slots, oldest first (for status pages and tests)."""
        stmt = select(ReminderRecord).order_by(ReminderRecord.slot_at, ReminderRecord.id)
        if incident_id is not None:
            stmt = stmt.where(ReminderRecord.incident_id == incident_id)
        return [
            SlotRow(r.incident_id, r.step_id, r.kind, r.slot_at) for r in self.session.scalars(stmt)
        ]

    def _playbook(self, incident_id: int, frozen: dict[str, Any]) -> Playbook:
        found = self._playbooks.get(incident_id)
        if found is None:
            found = self._playbooks[incident_id] = Playbook.from_dict(frozen)
        return found
