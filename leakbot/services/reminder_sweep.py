"""The reminder sweep: deadline warnings, the overdue mark, reminders, escalations, idle nudges.

Every reminder belongs to a *slot*, a fixed moment computed from the step's due time (or the
incident's last activity), so sweeping often or rarely sends the same reminders. A slot is sent
by claiming it in the database in the same transaction that owes the Slack message and writes
the audit entry; a slot another sweep claimed is skipped. Several schedulers on one database,
or a restart, therefore never send a reminder twice nor lose one: all state is in the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from leakbot.domain.incident import format_ref
from leakbot.domain.playbook import Playbook, Reminders
from leakbot.services.deps import Deps
from leakbot.services.owed_work import Effect, IncidentWork, ReminderPost
from leakbot.services.storage import DueStep, IdleIncident

DEADLINE_SOON = "deadline_soon"
OVERDUE = "overdue"
REMIND = "remind"
ESCALATE = "escalate"
IDLE = "idle"
KINDS = (DEADLINE_SOON, OVERDUE, REMIND, ESCALATE, IDLE)

#: Who the audit log names for what the sweep does.
SWEEPER = "leakbot"
DEFAULT_IDLE_AFTER = 3 * 24 * 3600


@dataclass(frozen=True)
class Slot:
    """One reminder to send: ``at`` is the moment it is for, ``due_at`` the due time it is
    about (None for an idle nudge), ``since`` the last activity an idle nudge is about."""

    incident_id: int
    number: int
    step_id: str | None
    kind: str
    at: datetime
    due_at: datetime | None = None
    since: datetime | None = None

    @property
    def key(self) -> str:
        return f"remind:{self.incident_id}:{self.step_id or ''}:{self.kind}:{self.at.isoformat()}"


@dataclass(frozen=True)
class SweepResult:
    """Reminders sent by one sweep, by kind."""

    sent: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def count(self, kind: str) -> int:
        return self.sent.get(kind, 0)


# --- when: pure ---------------------------------------------------------------------------
def escalation_delay(reminders: Reminders, ready_at: datetime | None, due_at: datetime) -> float:
    """Seconds past the due time a step escalates: as configured, else its own due offset."""
    if reminders.escalate_after_seconds is not None:
        return reminders.escalate_after_seconds
    offset = (due_at - ready_at).total_seconds() if ready_at is not None else 0
    return offset if offset > 0 else reminders.every_seconds


def step_slots(
    reminders: Reminders, ready_at: datetime | None, due_at: datetime, now: datetime
) -> list[tuple[str, datetime]]:
    """The slots of one ready step that have come by ``now``, as (kind, moment).

    Before the due time: the latest warning that has come, if it came after the step became
    ready. From the due time: the overdue mark, the latest reminder (one per interval, never a
    burst after an outage) and the escalation.
    """
    if now < due_at:
        warnings = [due_at - timedelta(seconds=b) for b in reminders.before_seconds]
        passed = [w for w in warnings if w <= now and (ready_at is None or w >= ready_at)]
        return [(DEADLINE_SOON, max(passed))] if passed else []
    found: list[tuple[str, datetime]] = [(OVERDUE, due_at)]
    escalate_at = due_at + timedelta(seconds=escalation_delay(reminders, ready_at, due_at))
    every = max(reminders.every_seconds, 1)
    intervals = int((now - due_at).total_seconds() // every)
    if intervals >= 1:
        remind_at = due_at + timedelta(seconds=intervals * every)
        if remind_at != escalate_at:  # the escalation says it already
            found.append((REMIND, remind_at))
    if now >= escalate_at:
        found.append((ESCALATE, escalate_at))
    return found


def idle_slot(playbook: Playbook, last_activity_at: datetime, now: datetime) -> datetime | None:
    at = last_activity_at + timedelta(seconds=playbook.idle_after_seconds)
    return at if at <= now else None


def lookahead(playbooks: Iterable[Playbook]) -> timedelta:
    """How far ahead of now due times are read: the largest warning any playbook gives."""
    largest = max(
        (b for p in playbooks for s in p.steps for b in s.reminders.before_seconds), default=0
    )
    return timedelta(seconds=largest)


def quiet_for(playbooks: Iterable[Playbook]) -> timedelta:
    """The shortest idle time of the playbooks: incidents quieter than that are read."""
    shortest = min((p.idle_after_seconds for p in playbooks), default=DEFAULT_IDLE_AFTER)
    return timedelta(seconds=shortest)


def due_slots(steps: Iterable[DueStep], idle: Iterable[IdleIncident], now: datetime) -> list[Slot]:
    slots: list[Slot] = []
    for due in steps:
        try:
            spec = due.playbook.step(due.step_id)
        except KeyError:  # a step the frozen playbook no longer knows: nothing to remind of
            continue
        for kind, at in step_slots(spec.reminders, due.ready_at, due.due_at, now):
            slots.append(Slot(due.incident_id, due.number, due.step_id, kind, at, due.due_at))
    for quiet in idle:
        nudge_at = idle_slot(quiet.playbook, quiet.last_activity_at, now)
        if nudge_at is not None:
            slots.append(
                Slot(
                    quiet.incident_id,
                    quiet.number,
                    None,
                    IDLE,
                    nudge_at,
                    since=quiet.last_activity_at,
                )
            )
    return slots


# --- the sweep ----------------------------------------------------------------------------
def sweep(deps: Deps) -> SweepResult:
    """Send every reminder whose slot has come and that no sweep sent before."""
    now = deps.clock.now()
    playbooks = list(deps.playbooks.values())
    with deps.read() as uow:
        steps = uow.reminders.due_steps(now + lookahead(playbooks))
        idle = uow.reminders.idle_incidents(now - quiet_for(playbooks))
    sent: Counter[str] = Counter()
    for slot in due_slots(steps, idle, now):
        if _send(deps, slot, now):
            sent[slot.kind] += 1
    if sent:
        deps.after_commit()
    return SweepResult(dict(sent))


def _send(deps: Deps, slot: Slot, now: datetime) -> bool:
    """Claim the slot and owe its message, in one transaction; False when it is not ours."""
    with deps.uow() as uow:
        if slot.step_id is not None and slot.due_at is not None:
            still = uow.reminders.step_still_due(slot.incident_id, slot.step_id, slot.due_at)
        else:
            assert slot.since is not None
            still = uow.reminders.still_idle(slot.incident_id, slot.since)
        if not still or not uow.reminders.claim(
            slot.incident_id, slot.step_id, slot.kind, slot.at, now
        ):
            return False
        payload = ReminderPost(
            number=slot.number,
            step_id=slot.step_id,
            kind=slot.kind,
            slot_at=slot.at.isoformat(),
            due_at=slot.due_at.isoformat() if slot.due_at else None,
            since=slot.since.isoformat() if slot.since else None,
        )
        uow.outbox.add(
            Effect.REMIND.value, payload, incident_id=slot.incident_id, key=slot.key, at=now
        )
        if slot.kind == OVERDUE:  # the checklist shows the mark once it is redrawn
            uow.outbox.add(
                Effect.REFRESH_CHECKLIST.value,
                IncidentWork(number=slot.number),
                incident_id=slot.incident_id,
                key=f"overdue:{slot.key}",
                at=now,
            )
        uow.audit.append(
            slot.incident_id,
            SWEEPER,
            "step.escalated" if slot.kind == ESCALATE else "reminder.sent",
            slot.step_id or format_ref(slot.number),
            None,
            {"kind": slot.kind, "slot_at": slot.at},
            now,
        )
        uow.commit()
    return True
