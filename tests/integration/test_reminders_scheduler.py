"""The scheduler's reminder job: runnable once on demand, and scheduled beside the retries."""

from __future__ import annotations

from typing import Any

from leakbot.domain.report import ReportForm
from leakbot.scheduler.runner import run_once, start_scheduler
from leakbot.services.outbox import Ran
from leakbot.services.reporting import report_incident


class CountingWorker:
    """Stands in for the Slack worker: counts drains, performs nothing."""

    def __init__(self) -> None:
        self.drains = 0

    def drain(self) -> Ran:
        self.drains += 1
        return Ran()

    def drain_inbox(self) -> int:
        return 0


def test_running_every_job_once_sends_due_reminders_then_drains_the_outbox(
    deps: Any, clock: Any
) -> None:
    report_incident(deps, ReportForm(title="Drafts on a forum", supplier="bjmold"), "U0SEC00001")
    clock.advance(hours=4)
    worker = CountingWorker()

    run_once(deps, worker)
    run_once(deps, worker)

    with deps.uow() as uow:
        kinds = [s.kind for s in uow.reminders.slots()]
    assert kinds == ["overdue"]
    assert worker.drains == 2


def test_the_scheduler_runs_reminders_every_minute_unless_told_otherwise(deps: Any) -> None:
    default = start_scheduler(deps, CountingWorker())
    tuned = start_scheduler(deps, CountingWorker(), reminders_every=15)
    try:
        jobs = {job.id: job for job in default.get_jobs()}
        assert set(jobs) == {"retry_slack_work", "send_reminders", "learn_names"}
        assert jobs["learn_names"].trigger.interval.total_seconds() == 6 * 3600
        assert jobs["send_reminders"].trigger.interval.total_seconds() == 60
        assert tuned.get_job("send_reminders").trigger.interval.total_seconds() == 15
    finally:
        default.shutdown(wait=False)
        tuned.shutdown(wait=False)
