"""An incident and the state of each of its steps: plain values the rules change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from leakbot.domain.errors import NotFound
from leakbot.domain.playbook import Playbook


class IncidentStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # resolved: the playbook ran to its end
    FALSE_ALARM = "false_alarm"  # closed because the leak was not real


class StepStatus(StrEnum):
    PENDING = "pending"  # waits for the steps it comes after
    READY = "ready"  # can be done now
    DONE = "done"
    SKIPPED = "skipped"  # an optional step skipped, or a step whose condition did not hold


SEVERITIES = ("low", "medium", "high", "critical")


@dataclass
class Facts:
    """What the reporter told us."""

    title: str
    asset: str = ""  # what leaked: asset or project code name
    where_seen: tuple[str, ...] = ()  # URLs where it appeared
    discovered_at: datetime | None = None
    severity: str = "high"
    description: str = ""
    supplier_id: str | None = None  # a configured supplier, or None for unknown
    title_zh: str = ""  # the title in Chinese, for Chinese notices (optional)
    asset_zh: str = ""  # what leaked, in Chinese (optional)


@dataclass
class StepState:
    step_id: str
    status: StepStatus = StepStatus.PENDING
    ready_at: datetime | None = None
    due_at: datetime | None = None
    done_by: str | None = None
    done_at: datetime | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    note: str | None = None  # skip or reopen reason


@dataclass
class Incident:
    number: int
    facts: Facts
    reporter: str
    commander: str
    playbook: Playbook  # frozen copy taken when the incident opened
    opened_at: datetime
    steps: dict[str, StepState] = field(default_factory=dict)
    status: IncidentStatus = IncidentStatus.OPEN
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str | None = None
    id: int | None = None  # database id, once stored

    @property
    def ref(self) -> str:
        return format_ref(self.number)

    @property
    def is_open(self) -> bool:
        return self.status is IncidentStatus.OPEN

    def state(self, step_id: str) -> StepState:
        try:
            return self.steps[step_id]
        except KeyError:
            raise NotFound(f"{self.ref} has no step `{step_id}`.") from None

    def progress(self) -> tuple[int, int]:
        """(finished steps, all steps); skipped counts as finished."""
        finished = sum(
            1 for s in self.steps.values() if s.status in (StepStatus.DONE, StepStatus.SKIPPED)
        )
        return finished, len(self.steps)


_REF = re.compile(r"^\s*(?:leak-)?(\d{1,9})\s*$", re.IGNORECASE)


def format_ref(number: int) -> str:
    return f"LEAK-{number}"


def parse_ref(text: str) -> int:
    """``LEAK-12``, ``leak-12`` and ``12`` all mean incident 12 (CONTRACT §5)."""
    m = _REF.match(text or "")
    if not m or int(m.group(1)) == 0:
        raise NotFound(f"`{text}` is not an incident number; use LEAK-12 or 12.")
    return int(m.group(1))
