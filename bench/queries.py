"""Figure 4: SQL statements per checklist click must not grow with the playbook or the
database.

Every statement the driver executes during one ``complete_step`` use case is counted
(SQLAlchemy's ``before_cursor_execute``): on an 8-step and a 30-step playbook of the same
shape (a chain, so completing the first step readies exactly one), and with 1 and then 1,000
other incidents in the database.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from bench.bulk import add_incidents
from bench.figures import Figure
from bench.processes import database_url
from bench.sweep import REPORTER, MovedClock, settings_for
from leakbot import bootstrap
from leakbot.domain.playbook import Due, Playbook, StepSpec
from leakbot.domain.report import ReportForm
from leakbot.services.deps import Deps
from leakbot.services.reporting import report_incident
from leakbot.services.steps import complete_step

SECURITY = "U0SEC00001"
ROLES = ("security", "legal", "procurement", "comms")


def chain(steps: int) -> Playbook:
    """``steps`` steps one after the other, owners taking turns, each due a day after ready."""
    specs = tuple(
        StepSpec(
            id=f"step{n}",
            title=f"Step {n}",
            owner="security" if n == 1 else ROLES[n % len(ROLES)],
            after=(f"step{n - 1}",) if n > 1 else (),
            due=Due(seconds=86_400),
        )
        for n in range(1, steps + 1)
    )
    return Playbook(id=f"bench-chain-{steps}", name=f"Chain of {steps}", steps=specs)


class StatementCounter:
    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


def statements_per_click(deps: Deps, counter: StatementCounter, playbook_id: str) -> int:
    form = ReportForm(title="Drawings on a forum", supplier="bjmold", playbook=playbook_id)
    number = report_incident(deps, form, REPORTER).incident.number
    before = counter.count
    complete_step(deps, number, "step1", SECURITY)
    return counter.count - before


def run(others: int) -> list[Figure]:
    short, long = chain(8), chain(30)
    with tempfile.TemporaryDirectory(prefix="leakbot-bench-queries-") as tmp:
        url = database_url(Path(tmp))
        setup = bootstrap.load_setup(settings_for(url))
        setup = replace(setup, playbooks={**setup.playbooks, short.id: short, long.id: long})
        engine = bootstrap.open_database(url)
        try:
            deps = bootstrap.build_deps(setup, engine, clock=MovedClock(datetime.now(UTC)))
            counter = StatementCounter(engine)
            add_incidents(
                engine,
                1,
                setup.playbooks["supplier-leak"],
                opened_at=datetime.now(UTC),
                closed=False,
            )
            # a first click fills what a process keeps once read (e.g. the people's names)
            statements_per_click(deps, counter, short.id)
            few_8 = statements_per_click(deps, counter, short.id)
            few_30 = statements_per_click(deps, counter, long.id)
            add_incidents(
                engine,
                others - 1,
                setup.playbooks["supplier-leak"],
                opened_at=datetime.now(UTC),
                closed=False,
            )
            many_8 = statements_per_click(deps, counter, short.id)
        finally:
            engine.dispose()
    return [
        Figure(
            "queries.steps",
            "SQL statements per click, 30-step playbook",
            few_30,
            "stmts",
            f"= 8-step ({few_8})",
            few_30 == few_8,
            "completing the first step of a chain; the count includes BEGIN",
        ),
        Figure(
            "queries.incidents",
            f"SQL statements per click, {others:,} other incidents",
            many_8,
            "stmts",
            f"= 1 other ({few_8})",
            many_8 == few_8,
            "open incidents of the bundled playbook, each waiting on its first step",
        ),
    ]
