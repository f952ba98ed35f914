"""The reminder sweep against a real database (SQLite and PostgreSQL), with a moved clock.

Incidents run the bundled supplier-leak playbook: `confirm` is due 4h after reporting, owners
are reminded daily, escalation comes at twice the due time, and the commander is nudged after
3 days without activity. `track_rectification` is due after the contract's 14 days, with
warnings 3 days and 1 day ahead.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from leakbot.domain.report import ReportForm
from leakbot.services.reminder_sweep import (
    DEADLINE_SOON,
    ESCALATE,
    IDLE,
    OVERDUE,
    REMIND,
    SweepResult,
    sweep,
)
from leakbot.services.reporting import report_incident
from leakbot.services.steps import close_incident, complete_step, reopen_step
from leakbot.store.models import AuditEntryRecord, OutboxRecord

SEC = "U0SEC00001"  # security, the reporter, hence the commander


def report(deps: Any) -> Any:
    form = ReportForm(title="Bumper drafts on a forum", supplier="bjmold")
    return report_incident(deps, form, SEC).incident


def slots(deps: Any, incident: Any, step_id: str | None = None) -> list[tuple[str, Any]]:
    with deps.uow() as uow:
        rows = uow.reminders.slots(incident.id)
    wanted = "" if step_id is None else step_id
    return [(r.kind, r.slot_at) for r in rows if step_id is None or r.step_id == wanted]


def owed(deps: Any, kind: str = "reminder.post") -> list[dict[str, Any]]:
    with deps.uow() as uow:
        stmt = select(OutboxRecord.payload).where(OutboxRecord.kind == kind)
        return list(uow.session.scalars(stmt.order_by(OutboxRecord.id)))


def sweep_every(deps: Any, clock: Any, step: timedelta, until: Any) -> SweepResult:
    total: dict[str, int] = {}
    while clock.now() < until:
        clock.at = min(clock.at + step, until)
        for kind, n in sweep(deps).sent.items():
            total[kind] = total.get(kind, 0) + n
    return SweepResult(total)


def test_one_reminder_per_interval_whatever_the_sweep_frequency(deps: Any, clock: Any) -> None:
    start = clock.now()
    first, second = report(deps), report(deps)
    until = start + timedelta(hours=4, days=3, minutes=30)

    often = sweep_every(deps, clock, timedelta(minutes=20), until)

    confirm_1 = [s for s in slots(deps, first, "confirm") if s[0] == REMIND]
    due = start + timedelta(hours=4)
    assert confirm_1 == [(REMIND, due + timedelta(days=d)) for d in (1, 2, 3)]
    kinds = [k for k, _ in slots(deps, second, "confirm")]
    assert sorted(kinds) == sorted([OVERDUE, ESCALATE, REMIND, REMIND, REMIND])
    assert often.count(REMIND) == 6 and often.count(OVERDUE) == 2 and often.count(ESCALATE) == 2


def test_sweeping_rarely_sends_the_same_reminders_as_sweeping_often(deps: Any, clock: Any) -> None:
    start = clock.now()
    incident = report(deps)
    sweep_every(deps, clock, timedelta(hours=12), start + timedelta(hours=4, days=3, minutes=30))

    reminders = [at for kind, at in slots(deps, incident, "confirm") if kind == REMIND]
    due = start + timedelta(hours=4)
    # every 12h, the 1d slots fall between sweeps: each is still sent once, by the next sweep
    assert reminders == [due + timedelta(days=d) for d in (1, 2, 3)]


def test_a_sweep_after_a_long_outage_sends_only_the_latest_reminder(deps: Any, clock: Any) -> None:
    start = clock.now()
    incident = report(deps)
    clock.at = start + timedelta(hours=4, days=5, minutes=1)

    result = sweep(deps)

    assert result.count(REMIND) == 1
    assert (REMIND, start + timedelta(hours=4, days=5)) in slots(deps, incident, "confirm")
    assert sweep(deps).total == 0


def test_escalation_comes_once_at_twice_the_due_time(deps: Any, clock: Any) -> None:
    start = clock.now()
    incident = report(deps)
    clock.at = start + timedelta(hours=8) - timedelta(minutes=1)
    assert sweep(deps).count(ESCALATE) == 0

    clock.at = start + timedelta(hours=8)
    assert sweep(deps).count(ESCALATE) == 1
    clock.advance(hours=3)
    assert sweep(deps).count(ESCALATE) == 0

    assert (ESCALATE, start + timedelta(hours=8)) in slots(deps, incident, "confirm")
    with deps.uow() as uow:
        escalated = uow.session.scalar(
            select(func.count())
            .select_from(AuditEntryRecord)
            .where(AuditEntryRecord.action == "step.escalated")
        )
    assert escalated == 1
    payloads = [p for p in owed(deps) if p["kind"] == ESCALATE]
    assert payloads == [
        {
            "number": incident.number,
            "step_id": "confirm",
            "kind": ESCALATE,
            "slot_at": (start + timedelta(hours=8)).isoformat(),
            "due_at": (start + timedelta(hours=4)).isoformat(),
            "since": None,
        }
    ]


def _to_rectification(deps: Any, clock: Any) -> Any:
    incident = report(deps)
    complete_step(deps, incident.number, "confirm", SEC, {"verdict": "confirmed"})
    complete_step(deps, incident.number, "notify_supplier", SEC, {"sent_on": "2026-01-22"})
    complete_step(deps, incident.number, "demand_rectification", SEC, {"sent_on": "2026-01-22"})
    return incident


def test_deadline_warnings_come_before_a_contract_deadline_then_the_overdue_mark(
    deps: Any, clock: Any
) -> None:
    incident = _to_rectification(deps, clock)
    due = clock.now() + timedelta(days=14)  # the contract's rectification_days
    track = "track_rectification"

    early, late = due - timedelta(days=3, minutes=1), due - timedelta(hours=1)
    for at in (early, due - timedelta(days=2), late):
        clock.at = at
        sweep(deps)
    clock.at = due
    sweep(deps)

    assert slots(deps, incident, track) == [
        (DEADLINE_SOON, due - timedelta(days=3)),
        (DEADLINE_SOON, due - timedelta(days=1)),
        (OVERDUE, due),
    ]
    refreshes = owed(deps, "checklist.refresh")
    assert {"number": incident.number} in refreshes
    with deps.uow() as uow:
        keys = list(uow.session.scalars(select(OutboxRecord.key)))
    assert any(k and k.startswith("overdue:") and track in k for k in keys)


def test_no_due_soon_warning_is_sent_once_the_step_is_overdue(deps: Any, clock: Any) -> None:
    incident = _to_rectification(deps, clock)
    clock.advance(days=14, hours=1)

    sweep(deps)

    kinds = [k for k, _ in slots(deps, incident, "track_rectification")]
    assert kinds == [OVERDUE]


def test_an_idle_incident_nudges_its_commander_once(deps: Any, clock: Any) -> None:
    start = clock.now()
    incident = report(deps)
    clock.at = start + timedelta(days=3) - timedelta(minutes=1)
    assert sweep(deps).count(IDLE) == 0

    clock.at = start + timedelta(days=3)
    assert sweep(deps).count(IDLE) == 1
    clock.advance(days=2)
    assert sweep(deps).count(IDLE) == 0
    assert slots(deps, incident, None).count((IDLE, start + timedelta(days=3))) == 1


def test_fresh_activity_puts_the_idle_nudge_off(deps: Any, clock: Any) -> None:
    start = clock.now()
    incident = report(deps)
    clock.at = start + timedelta(days=2)
    complete_step(deps, incident.number, "confirm", SEC, {"verdict": "confirmed"})

    clock.at = start + timedelta(days=3, hours=1)
    assert sweep(deps).count(IDLE) == 0
    clock.at = start + timedelta(days=5)
    assert sweep(deps).count(IDLE) == 1
    assert (IDLE, start + timedelta(days=5)) in slots(deps, incident)


def test_nothing_is_sent_for_a_closed_incident(deps: Any, clock: Any) -> None:
    incident = report(deps)
    close_incident(deps, incident.number, SEC, "a drill", false_alarm=True)
    clock.advance(days=30)

    assert sweep(deps).total == 0
    assert slots(deps, incident) == []
    assert owed(deps) == []


def test_a_reopened_step_starts_its_reminders_over(deps: Any, clock: Any) -> None:
    start = clock.now()
    incident = report(deps)
    clock.at = start + timedelta(hours=5)
    sweep(deps)
    complete_step(deps, incident.number, "confirm", SEC, {"verdict": "confirmed"})
    clock.at = start + timedelta(hours=6)
    reopen_step(deps, incident.number, "confirm", SEC, "the drawings were not ours after all")

    clock.at = start + timedelta(hours=10)
    assert sweep(deps).count(OVERDUE) == 1

    overdue = [at for kind, at in slots(deps, incident, "confirm") if kind == OVERDUE]
    assert overdue == [start + timedelta(hours=4), start + timedelta(hours=10)]


def test_reminders_are_not_activity_and_name_no_confidential_facts(deps: Any, clock: Any) -> None:
    incident = report(deps)
    clock.advance(days=1)
    sweep(deps)

    for payload in owed(deps):
        assert set(payload) == {"number", "step_id", "kind", "slot_at", "due_at", "since"}
        assert "Bumper" not in str(payload)
    clock.advance(days=2)
    assert sweep(deps).count(IDLE) == 1  # the reminders of day 1 did not count as activity
    assert incident.number == 1
