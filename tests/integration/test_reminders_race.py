"""Reminders are sent exactly once, however many sweeps run: threads, processes, restarts.

Also: a sweep costs what is due, not what exists (its statements do not grow with closed
incidents).
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event, func, select

from leakbot.bootstrap import build_deps
from leakbot.domain.incident import IncidentStatus, StepState, StepStatus
from leakbot.domain.report import ReportForm
from leakbot.services.reminder_sweep import ESCALATE, IDLE, OVERDUE, REMIND, sweep
from leakbot.services.reporting import report_incident
from leakbot.store.db import make_engine
from leakbot.store.models import OutboxRecord, ReminderRecord

SEC = "U0SEC00001"
INCIDENTS = 4


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def open_incidents(deps: Any, n: int = INCIDENTS) -> list[Any]:
    form = ReportForm(title="Bumper drafts on a forum", supplier="bjmold")
    return [report_incident(deps, form, SEC).incident for _ in range(n)]


def counts(deps: Any) -> tuple[int, int, int]:
    """(reminder rows, reminder messages owed, distinct message keys)."""
    with deps.uow() as uow:
        rows = uow.session.scalar(select(func.count()).select_from(ReminderRecord))
        owed = list(
            uow.session.scalars(
                select(OutboxRecord.key).where(OutboxRecord.kind == "reminder.post")
            )
        )
    return int(rows or 0), len(owed), len(set(owed))


def race(racers: list[Any]) -> list[dict[str, int]]:
    """Each racer sweeps in its own thread, all released at once; what each one sent."""
    gate = threading.Barrier(len(racers))
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run(racer: Any) -> None:
        try:
            gate.wait()
            results.append(dict(sweep(racer).sent))
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(r,)) for r in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


#: Moments after reporting, and what each brings for every incident.
MOMENTS = [
    (timedelta(hours=4), {OVERDUE: 1}),
    (timedelta(hours=8), {ESCALATE: 1}),
    (timedelta(days=1, hours=4), {REMIND: 1}),
    (timedelta(days=3), {IDLE: 1, REMIND: 1}),  # the reminder of day 2 too
]
EACH = sum(n for _, expected in MOMENTS for n in expected.values())


def test_two_sweeps_racing_in_threads_send_each_reminder_once(
    deps: Any, engine: Engine, app_setup: Any
) -> None:
    start = deps.clock.now()
    open_incidents(deps)
    clock = FixedClock(start)
    racers = [replace(build_deps(app_setup, engine, clock=clock), drafter=None) for _ in range(2)]
    sent: dict[str, int] = {}

    for offset, expected in MOMENTS:
        clock.at = start + offset
        results = race(racers)
        for result in results:
            for kind, n in result.items():
                sent[kind] = sent.get(kind, 0) + n
        for kind, n in expected.items():
            assert sum(r.get(kind, 0) for r in results) == n * INCIDENTS

    rows, owed, keys = counts(deps)
    assert rows == owed == keys == sum(sent.values()) == INCIDENTS * EACH


def _sweep_in_process(
    setup: Any, db_url: str, at: datetime, gate: Any, out: Any
) -> None:  # pragma: no cover - runs in a child process
    engine = make_engine(db_url)
    try:
        deps = build_deps(setup, engine, clock=FixedClock(at))
        gate.wait(timeout=30)
        out.put(dict(sweep(deps).sent))
    finally:
        engine.dispose()


def test_two_processes_sweeping_one_database_send_each_reminder_once(
    deps: Any, db_url: str, app_setup: Any
) -> None:
    start = deps.clock.now()
    open_incidents(deps)
    ctx = multiprocessing.get_context("fork")
    total = 0
    for offset, expected in MOMENTS:
        gate, out = ctx.Barrier(2), ctx.Queue()
        procs = [
            ctx.Process(
                target=_sweep_in_process, args=(app_setup, db_url, start + offset, gate, out)
            )
            for _ in range(2)
        ]
        for p in procs:
            p.start()
        results = [out.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
            assert p.exitcode == 0
        for kind, n in expected.items():
            assert sum(r.get(kind, 0) for r in results) == n * INCIDENTS
        total += sum(sum(r.values()) for r in results)

    rows, owed, keys = counts(deps)
    assert rows == owed == keys == total == INCIDENTS * EACH


def test_a_restarted_sweep_neither_repeats_nor_loses_a_reminder(
    deps: Any, db_url: str, app_setup: Any
) -> None:
    start = deps.clock.now()
    open_incidents(deps, 2)
    clock = FixedClock(start + timedelta(hours=9))
    first_engine = make_engine(db_url)
    first = build_deps(app_setup, first_engine, clock=clock)
    assert dict(sweep(first).sent) == {OVERDUE: 2, ESCALATE: 2}
    first_engine.dispose()  # the process stops

    second_engine = make_engine(db_url)
    try:
        second = build_deps(app_setup, second_engine, clock=clock)
        assert sweep(second).total == 0  # nothing repeated
        clock.at = start + timedelta(days=1, hours=5)  # it was down when the reminders fell due
        assert dict(sweep(second).sent) == {REMIND: 2}  # nothing lost
    finally:
        second_engine.dispose()
    rows, owed, _ = counts(deps)
    assert rows == owed == 6


def _statements(engine: Engine, deps: Any) -> int:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        sweep(deps)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_sweep_costs_the_same_with_500_closed_incidents_as_with_none(
    deps: Any, engine: Engine, make_incident: Any
) -> None:
    start = deps.clock.now()
    open_incidents(deps, 1)
    deps.clock.at = start + timedelta(hours=5)
    sweep(deps)  # sends the overdue mark; what follows only finds it sent
    before = _statements(engine, deps)

    past = start - timedelta(days=30)
    with deps.uow() as uow:
        for n in range(1000, 1500):
            incident = make_incident(n, status=IncidentStatus.CLOSED, opened_at=past)
            for state in incident.steps.values():  # data the sweep must not even read
                state.status, state.ready_at, state.due_at = StepStatus.READY, past, past
            incident.steps["extra"] = StepState("extra", StepStatus.READY, past, past)
            uow.incidents.add(incident)
        uow.commit()
    after = _statements(engine, deps)

    assert before > 0
    assert after == before
