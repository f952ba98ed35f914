"""APScheduler wiring. Jobs only call services; the database says what is due."""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from leakbot.scheduler import jobs
from leakbot.services.deps import Deps

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30


def start_scheduler(deps: Deps, worker: Any, every: int = SWEEP_SECONDS) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        jobs.retry_slack_work,
        "interval",
        seconds=every,
        args=(deps, worker),
        id="retry_slack_work",
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    log.info("scheduler started: sweeping every %ss", every)
    return scheduler
