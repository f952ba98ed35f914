"""Figure 3: the reminder sweep must cost what is due, not what the database holds.

Two databases hold the same 20 open incidents, each with overdue steps; one of them also holds
many closed incidents (100,000 in the full run). Their reminders are claimed by a first sweep,
so every measured sweep does the same work: read what is due, find each slot taken. The sweeps
alternate between the two databases, so whatever else the machine does meanwhile hits both.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bench.bulk import add_incidents
from bench.figures import Figure, median, ms
from bench.processes import TIMEZONE, database_url
from leakbot import bootstrap
from leakbot.domain.report import ReportForm
from leakbot.loading.paths import bundled_example_config
from leakbot.services.deps import Deps
from leakbot.services.reminder_sweep import sweep
from leakbot.services.reporting import report_incident
from leakbot.settings import Settings
from leakbot.store.db import ONE_STATEMENT

OPEN_INCIDENTS = 20
RATIO_GOAL = 1.2
REPORTER = "U0REP00001"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


class MovedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def settings_for(url: str) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": url,
            "LEAKBOT_CONFIG": str(bundled_example_config()),
            "LEAKBOT_TIMEZONE": TIMEZONE,
        }
    )


def timed_sweeps(each: list[Deps], count: int) -> tuple[list[float], int]:
    """Median seconds of ``count`` sweeps of each database, taken in turn (first one first,
    then the other), after one unmeasured sweep of each; and the reminders they sent."""
    sent = sum(sweep(deps).total for deps in each)
    took: list[list[float]] = [[] for _ in each]
    for n in range(count):
        pairs = list(zip(each, took, strict=True))
        for deps, times in pairs if n % 2 == 0 else reversed(pairs):
            t0 = time.perf_counter()
            sent += sweep(deps).total
            times.append(time.perf_counter() - t0)
    return [median(times) for times in took], sent


def open_overdue(deps: Deps, clock: MovedClock) -> None:
    """20 incidents reported two days ago and left alone: "Confirm the leak" (due in 4 h) is
    overdue, reminded and escalated; their first sweep claims all of it."""
    clock.at = START
    for n in range(OPEN_INCIDENTS):
        form = ReportForm(title=f"Bumper drafts on a forum ({n})", supplier="bjmold")
        report_incident(deps, form, REPORTER)
    clock.at = START + timedelta(days=2, hours=1)
    sweep(deps)


def run(closed: int, sweeps: int) -> list[Figure]:
    with (
        tempfile.TemporaryDirectory(prefix="leakbot-bench-sweep-") as none_dir,
        tempfile.TemporaryDirectory(prefix="leakbot-bench-sweep-") as full_dir,
    ):
        engines: list[Engine] = []
        try:
            each: list[Deps] = []
            for tmp in (none_dir, full_dir):
                url = database_url(Path(tmp))
                setup = bootstrap.load_setup(settings_for(url))
                engine: Engine = bootstrap.open_database(url)
                engines.append(engine)
                clock = MovedClock(START)
                deps = bootstrap.build_deps(setup, engine, clock=clock)
                open_overdue(deps, clock)
                each.append(deps)
            t0 = time.perf_counter()
            playbook = setup.playbooks["supplier-leak"]
            add_incidents(engines[1], closed, playbook, opened_at=START, closed=True)
            # The closed incidents are one transaction of over 1 GB, all of it still in the
            # write-ahead log: copied back into the file now, not by whichever measured
            # sweep's commit finds the log that long (a one-time cost, not the sweep's).
            with engines[1].connect().execution_options(**{ONE_STATEMENT: True}) as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            filled = time.perf_counter() - t0
            (empty, full), sent = timed_sweeps(each, sweeps)
        finally:
            for engine in engines:
                engine.dispose()
    ratio = full / empty
    return [
        Figure(
            "sweep.ratio",
            f"reminder sweep, {closed:,} closed incidents ÷ none",
            round(ratio, 2),
            "×",
            f"< {RATIO_GOAL}",
            ratio < RATIO_GOAL and sent == 0,
            f"median of {sweeps} sweeps of each database in turn, {OPEN_INCIDENTS} open incidents: "
            f"{ms(empty)} ms with none, {ms(full)} ms with {closed:,} closed "
            f"(written in {filled:.0f} s); reminders sent by measured sweeps: "
            f"{sent}",
        )
    ]
