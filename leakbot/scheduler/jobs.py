"""The scheduler's jobs: thin, named, driven by the database, runnable on demand."""

from __future__ import annotations

import logging
from typing import Any

from leakbot.services.deps import Deps

log = logging.getLogger(__name__)


def retry_slack_work(deps: Deps, worker: Any) -> None:
    """Owed Slack work whose retry time has come (and anything a crash left half done)."""
    ran = worker.drain()
    if ran.done or ran.retried or ran.failed:
        log.info("outbox: %s done, %s to retry, %s failed", ran.done, ran.retried, ran.failed)
