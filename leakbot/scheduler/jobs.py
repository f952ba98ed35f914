"""The scheduler's jobs: thin, named, driven by the database, runnable on demand.

They log counts only: never titles, suppliers or people.
"""

from __future__ import annotations

import logging

from leakbot.services.deps import Deps
from leakbot.services.outbox import OwedWorkRunner
from leakbot.services.people import refresh_names
from leakbot.services.reminder_sweep import SweepResult, sweep

log = logging.getLogger(__name__)


def retry_slack_work(deps: Deps, worker: OwedWorkRunner) -> None:
    """Owed Slack work whose retry time has come (and anything a crash left half done),
    after the Slack requests a dead process acknowledged but did not carry out."""
    picked = worker.drain_inbox()
    if picked:
        log.info("inbox: %s request(s) carried out", picked)
    ran = worker.drain()
    if ran.done or ran.retried or ran.failed:
        log.info("outbox: %s done, %s to retry, %s failed", ran.done, ran.retried, ran.failed)


def learn_names(deps: Deps) -> int:
    """Names for notices: of the config's people, and of anyone whose name is a week old.
    The lookups themselves are owed Slack work (``users.info``), done by the worker."""
    owed = refresh_names(deps)
    if owed:
        log.info("names: %s lookup(s) owed", owed)
    return owed


def send_reminders(deps: Deps) -> SweepResult:
    """Deadline warnings, overdue marks, reminders, escalations and idle nudges that are due.

    Safe to run in several processes at once: each reminder is claimed in the database.
    """
    result = sweep(deps)
    if result.total:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.sent.items()))
        log.info("reminders sent: %s", counts)
    return result
