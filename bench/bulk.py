"""Many incidents at once, written with SQLAlchemy Core: what a database looks like after
years of use, built in seconds instead of years.

Rows carry a real frozen playbook (the bundled one, ~9 KB of JSON, as every incident keeps its
own copy) and one step-state row per step, as the repositories write them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Text, bindparam, func, insert, select, update
from sqlalchemy.dialects import sqlite

from leakbot.domain.incident import IncidentStatus, StepStatus
from leakbot.domain.playbook import Playbook
from leakbot.store.incidents import INCIDENT_COUNTER
from leakbot.store.models import CounterRecord, IncidentRecord, StepStateRecord

BATCH = 5_000
REPORTER = "U0REP00001"


def _batches(start: int, count: int) -> Iterator[range]:
    for first in range(start, start + count, BATCH):
        yield range(first, min(first + BATCH, start + count))


def add_incidents(
    engine: Engine, count: int, playbook: Playbook, *, opened_at: datetime, closed: bool
) -> None:
    """``count`` more incidents after the newest; closed ones have every step done, open ones
    wait on their first steps, due long after ``opened_at``."""
    frozen = json.dumps(playbook.to_dict(), ensure_ascii=False)
    incidents = IncidentRecord.__table__
    # The frozen playbook goes in already serialised: one JSON text shared by every row.
    add_incident = insert(incidents).values(playbook=bindparam("frozen", type_=Text()))
    add_step = insert(StepStateRecord.__table__)
    with engine.begin() as conn:
        first_id = (conn.execute(select(func.max(IncidentRecord.id))).scalar() or 0) + 1
        first_number = (conn.execute(select(func.max(IncidentRecord.number))).scalar() or 0) + 1
        for ids in _batches(first_id, count):
            rows = [
                _incident(i, first_number + i - first_id, frozen, opened_at, closed) for i in ids
            ]
            conn.execute(add_incident, rows)
            steps = [
                _step(i, spec.id, n, opened_at, closed)
                for i in ids
                for n, spec in enumerate(playbook.steps)
            ]
            conn.execute(add_step, steps)
        _advance_counter(conn, first_number + count - 1)


def _incident(
    row_id: int, number: int, frozen: str, opened_at: datetime, closed: bool
) -> dict[str, Any]:
    opened = opened_at - timedelta(minutes=number % 50_000)
    return {
        "id": row_id,
        "number": number,
        "title": f"Drawings of part {number} seen outside the company",
        "asset": f"Part {number} drawings",
        "where_seen": [f"https://forum.example/t/{number}"],
        "discovered_at": opened,
        "severity": "high",
        "description": "Historic case, written by the benchmark.",
        "supplier_id": "bjmold",
        "status": IncidentStatus.CLOSED.value if closed else IncidentStatus.OPEN.value,
        "reporter": REPORTER,
        "commander": REPORTER,
        "playbook_id": "supplier-leak",
        "frozen": frozen,
        "opened_at": opened,
        "closed_at": opened + timedelta(days=20) if closed else None,
        "closed_by": REPORTER if closed else None,
        "close_reason": "resolved" if closed else None,
        "audit_count": 0,
        "last_activity_at": opened + timedelta(days=20) if closed else opened_at,
    }


def _step(
    incident_id: int, step_id: str, n: int, opened_at: datetime, closed: bool
) -> dict[str, Any]:
    if closed:
        done = opened_at - timedelta(days=1, minutes=n)
        return {
            "incident_id": incident_id,
            "step_id": step_id,
            "status": StepStatus.DONE.value,
            "ready_at": done - timedelta(hours=4),
            "due_at": done + timedelta(hours=4),
            "done_by": REPORTER,
            "done_at": done,
            "inputs": {},
            "note": None,
        }
    ready = n == 0
    return {
        "incident_id": incident_id,
        "step_id": step_id,
        "status": StepStatus.READY.value if ready else StepStatus.PENDING.value,
        "ready_at": opened_at if ready else None,
        "due_at": opened_at + timedelta(days=365) if ready else None,
        "done_by": None,
        "done_at": None,
        "inputs": {},
        "note": None,
    }


def _advance_counter(conn: Any, value: int) -> None:
    """Incident numbers handed out next follow the rows written here."""
    stmt = sqlite.insert(CounterRecord).values(name=INCIDENT_COUNTER, value=value)
    if conn.dialect.name == "sqlite":
        conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"value": value}))
    else:
        conn.execute(
            update(CounterRecord).where(CounterRecord.name == INCIDENT_COUNTER).values(value=value)
        )
