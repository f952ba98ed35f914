"""When reminders are due: pure slot arithmetic, and the playbook keys that set it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leakbot.domain.playbook import Playbook, Reminders
from leakbot.loading.playbooks import load_playbook
from leakbot.operator_errors import ProblemsFound
from leakbot.services.reminder_sweep import (
    DEADLINE_SOON,
    ESCALATE,
    OVERDUE,
    REMIND,
    escalation_delay,
    lookahead,
    step_slots,
)

READY = datetime(2026, 1, 22, 9, 0, tzinfo=UTC)
DUE = READY + timedelta(hours=4)
DAY = 86400


def test_nothing_is_due_before_the_due_time_without_warnings() -> None:
    assert step_slots(Reminders(), READY, DUE, DUE - timedelta(seconds=1)) == []


def test_the_overdue_mark_comes_at_the_due_time_and_the_first_reminder_one_interval_later() -> None:
    assert step_slots(Reminders(), READY, DUE, DUE) == [(OVERDUE, DUE)]
    later = step_slots(Reminders(every_seconds=DAY), READY, DUE, DUE + timedelta(days=1, hours=1))
    assert (REMIND, DUE + timedelta(days=1)) in later


def test_after_a_long_outage_only_the_latest_reminder_is_due() -> None:
    slots = step_slots(Reminders(every_seconds=DAY), READY, DUE, DUE + timedelta(days=5, hours=3))
    assert [at for kind, at in slots if kind == REMIND] == [DUE + timedelta(days=5)]


def test_escalation_defaults_to_twice_the_due_time() -> None:
    assert escalation_delay(Reminders(), READY, DUE) == 4 * 3600
    slots = step_slots(Reminders(), READY, DUE, READY + timedelta(hours=8))
    assert (ESCALATE, READY + timedelta(hours=8)) in slots
    early = step_slots(Reminders(), READY, DUE, DUE + timedelta(hours=3))
    assert ESCALATE not in {kind for kind, _ in early}


def test_a_reminder_that_falls_on_the_escalation_is_left_to_the_escalation() -> None:
    same = Reminders(every_seconds=DAY, escalate_after_seconds=DAY)
    kinds = [k for k, _ in step_slots(same, READY, DUE, DUE + timedelta(days=1))]
    assert kinds == [OVERDUE, ESCALATE]


def test_only_the_latest_warning_that_has_come_is_due_before_the_deadline() -> None:
    due = READY + timedelta(days=14)
    warn = Reminders(before_seconds=(3 * DAY, DAY))
    assert step_slots(warn, READY, due, due - timedelta(days=3, seconds=1)) == []
    assert step_slots(warn, READY, due, due - timedelta(days=3)) == [
        (DEADLINE_SOON, due - timedelta(days=3))
    ]
    assert step_slots(warn, READY, due, due - timedelta(hours=2)) == [
        (DEADLINE_SOON, due - timedelta(days=1))
    ]


def test_no_warning_is_due_for_a_moment_before_the_step_became_ready() -> None:
    due = READY + timedelta(days=2)
    assert step_slots(Reminders(before_seconds=(3 * DAY,)), READY, due, READY) == []


def test_an_overdue_step_gets_no_due_soon_warning() -> None:
    due = READY + timedelta(days=14)
    kinds = {k for k, _ in step_slots(Reminders(before_seconds=(DAY,)), READY, due, due)}
    assert DEADLINE_SOON not in kinds


def _playbook_file(tmp_path: Path, defaults: str, reminders: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(
        "id: p\nname: P\n"
        f"{defaults}"
        "steps:\n"
        "  - id: plan\n    title: Plan\n    owner: legal\n    due: 14d\n"
        f"{reminders}",
        encoding="utf-8",
    )
    return path


def test_before_warnings_are_read_largest_first_and_survive_freezing(tmp_path: Path) -> None:
    path = _playbook_file(tmp_path, "", "    reminders: {before: [1d, 3d]}\n")
    playbook = load_playbook(path)
    assert playbook.steps[0].reminders.before_seconds == (3 * DAY, DAY)
    again = Playbook.from_dict(playbook.to_dict())
    assert again.steps[0].reminders.before_seconds == (3 * DAY, DAY)
    assert lookahead([again]) == timedelta(days=3)


def test_remind_before_in_defaults_applies_to_every_step(tmp_path: Path) -> None:
    path = _playbook_file(tmp_path, "defaults: {remind_before: 2d}\n", "")
    assert load_playbook(path).steps[0].reminders.before_seconds == (2 * DAY,)


@pytest.mark.parametrize(
    ("value", "message"),
    [("[0h]", "is zero"), ("[-1d]", "is negative"), ("[1m]", "too short"), ("[]", "at least")],
)
def test_a_bad_before_is_refused_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    path = _playbook_file(tmp_path, "", f"    reminders: {{before: {value}}}\n")
    with pytest.raises(ProblemsFound) as caught:
        load_playbook(path)
    problem = caught.value.problems[0]
    assert problem.line == 8
    assert (problem.key or "").startswith("reminders.before")
    assert message in problem.message
