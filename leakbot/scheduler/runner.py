"""APScheduler wiring. Jobs only call services; the database says what is due.

Every job is safe to run in several processes on one database (``web`` and ``clock``), so no
process needs to be the only scheduler.
"""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from leakbot.scheduler import jobs
from leakbot.services.deps import Deps
from leakbot.services.outbox import OwedWorkRunner

log = logging.getLogger(__name__)

#: How often owed Slack work is retried, in seconds.
SWEEP_SECONDS = 30
#: How often the reminder sweep runs, in seconds: a reminder goes out at most this late.
REMINDER_SECONDS = 60
#: How often people's names are refreshed, in seconds (new people are looked up when they act).
NAMES_SECONDS = 6 * 3600


def start_scheduler(
    deps: Deps,
    worker: OwedWorkRunner,
    every: int = SWEEP_SECONDS,
    reminders_every: int = REMINDER_SECONDS,
) -> BackgroundScheduler:
    """Start both jobs in a background thread; the caller shuts the scheduler down."""
    scheduler = BackgroundScheduler(timezone="UTC")
    common: dict[str, Any] = {"max_instances": 1, "coalesce": True}
    scheduler.add_job(
        jobs.retry_slack_work,
        "interval",
        seconds=every,
        args=(deps, worker),
        id="retry_slack_work",
        **common,
    )
    scheduler.add_job(
        jobs.send_reminders,
        "interval",
        seconds=reminders_every,
        args=(deps,),
        id="send_reminders",
        **common,
    )
    scheduler.add_job(
        jobs.learn_names,
        "interval",
        seconds=NAMES_SECONDS,
        args=(deps,),
        id="learn_names",
        **common,
    )
    scheduler.start()
    log.info("scheduler started: Slack work every %ss, reminders every %ss", every, reminders_every)
    return scheduler


def run_once(deps: Deps, worker: OwedWorkRunner) -> None:
    """Every job once, in order, now: reminders first, so the work they owe is sent too."""
    jobs.send_reminders(deps)
    jobs.learn_names(deps)
    jobs.retry_slack_work(deps, worker)
