"""Use cases on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from leakbot.domain.errors import AlreadyDone, InvalidInputs, NotPermitted, NotReady
from leakbot.domain.incident import IncidentStatus, StepStatus
from leakbot.domain.report import ReportForm
from leakbot.services import queries, steps
from leakbot.services.reporting import report_incident

SEC, LEG, PRO = "U0SEC00001", "U0LEG00001", "U0PRO00001"
NOTIFIED = {"sent_on": "2026-01-23", "sent_to": "legal@bjmold.example"}
FORM = ReportForm(
    title="Front and rear bumper drafts on Weibo",
    asset="MS11 bumpers",
    where_seen="https://weibo.example/post/1",
    supplier="bjmold",
    discovered_on="2026-01-22",
    severity="critical",
)


def reported(deps: Any, key: str | None = None) -> int:
    return report_incident(deps, FORM, "UREPORTER1", key).incident.number


def confirm(deps: Any, number: int) -> None:
    steps.complete_step(deps, number, "confirm", SEC, {"verdict": "confirmed"})


def test_reporting_records_the_incident_with_its_frozen_playbook_and_owes_the_channel(
    deps: Any,
) -> None:
    number = reported(deps)
    incident = queries.get_incident(deps, number)
    assert incident.ref == "LEAK-1"
    assert incident.playbook.id == "supplier-leak"
    assert incident.steps["confirm"].status is StepStatus.READY
    with deps.uow() as uow:
        assert uow.outbox.by_key("open:1") is not None
        assert [e.action for e in uow.audit.entries(incident.id)][:2] == [
            "incident.opened",
            "step.ready",
        ]


def test_the_same_submission_twice_makes_one_incident(deps: Any) -> None:
    first = reported(deps, "view:V1")
    second = reported(deps, "view:V1")
    assert first == second
    assert len(queries.open_incidents(deps)) == 1


def test_incidents_are_numbered_one_two_three(deps: Any) -> None:
    assert [reported(deps) for _ in range(3)] == [1, 2, 3]


def test_a_bad_report_names_each_bad_field_and_records_nothing(deps: Any) -> None:
    bad = ReportForm(title="", where_seen="not-a-url", supplier="nobody", severity="urgent")
    with pytest.raises(InvalidInputs) as err:
        report_incident(deps, bad, "UREPORTER1")
    assert set(err.value.errors) == {"title", "where_seen", "supplier", "severity"}
    assert queries.open_incidents(deps) == []


def test_someone_outside_the_role_is_refused_and_nothing_is_written(deps: Any) -> None:
    number = reported(deps)
    with deps.uow() as uow:
        before = len(uow.audit.entries(1))
    with pytest.raises(NotPermitted):
        steps.complete_step(deps, number, "confirm", PRO, {"verdict": "confirmed"})
    with deps.uow() as uow:
        assert len(uow.audit.entries(1)) == before
    assert queries.get_incident(deps, number).steps["confirm"].status is StepStatus.READY


def test_out_of_order_and_invalid_inputs_are_refused(deps: Any) -> None:
    number = reported(deps)
    with pytest.raises(NotReady):
        steps.complete_step(deps, number, "notify_supplier", LEG, NOTIFIED)
    with pytest.raises(InvalidInputs) as err:
        steps.complete_step(deps, number, "confirm", SEC, {"verdict": "maybe"})
    assert "verdict" in err.value.errors


def test_the_penalty_is_prefilled_from_the_contract_and_an_override_needs_a_reason(
    deps: Any,
) -> None:
    number = reported(deps)
    confirm(deps, number)
    steps.complete_step(deps, number, "notify_supplier", LEG, NOTIFIED)
    incident = queries.get_incident(deps, number)
    spec = incident.playbook.step("assess_penalty")
    assert steps.prefill(deps, incident, spec)["amount"] == "CNY 1,000,000.00"
    with pytest.raises(InvalidInputs) as err:
        steps.complete_step(deps, number, "assess_penalty", LEG, {"amount": "CNY 500,000"})
    assert "override_reason" in err.value.errors
    with pytest.raises(InvalidInputs):
        steps.complete_step(deps, number, "assess_penalty", LEG, {"amount": "CNY 900,000,000"})
    steps.complete_step(
        deps,
        number,
        "assess_penalty",
        LEG,
        {"amount": "CNY 500,000", "override_reason": "first offence, settled"},
    )
    done = queries.get_incident(deps, number).steps["assess_penalty"]
    assert done.inputs["amount"] == {"amount": "500000.00", "currency": "CNY"}
    assert done.inputs["override_reason"] == "first offence, settled"


def test_a_false_alarm_closes_the_incident(deps: Any) -> None:
    number = reported(deps)
    steps.complete_step(deps, number, "confirm", SEC, {"verdict": "false_alarm"})
    incident = queries.get_incident(deps, number)
    assert incident.status is IncidentStatus.FALSE_ALARM
    assert queries.open_incidents(deps) == []


def test_two_people_completing_one_step_at_once_one_wins_the_other_is_told_who(
    deps: Any,
) -> None:
    number = reported(deps)
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def click(user: str) -> None:
        start.wait()
        try:
            steps.complete_step(deps, number, "confirm", user, {"verdict": "confirmed"})
            results[user] = "won"
        except AlreadyDone as e:
            results[user] = e

    deps.directory.roles_of("U0SEC00001")
    threads = [threading.Thread(target=click, args=(u,)) for u in (SEC, "UREPORTER1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [u for u, r in results.items() if r == "won"]
    losers = [r for r in results.values() if isinstance(r, AlreadyDone)]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].by == winners[0]
    with deps.uow() as uow:
        completed = [e for e in uow.audit.entries(1) if e.action == "step.completed"]
    assert len(completed) == 1


def test_eight_simultaneous_clicks_complete_a_step_once(deps: Any) -> None:
    number = reported(deps)
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def click() -> None:
        start.wait()
        try:
            steps.complete_step(deps, number, "confirm", SEC, {"verdict": "confirmed"})
            outcomes.append("won")
        except AlreadyDone:
            outcomes.append("told")

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["told"] * 7 + ["won"]


def test_reopening_with_a_reason_makes_dependents_wait_and_is_audited(deps: Any) -> None:
    number = reported(deps)
    confirm(deps, number)
    steps.complete_step(deps, number, "notify_supplier", LEG, NOTIFIED)
    steps.reopen_step(deps, number, "confirm", SEC, "wrong asset identified")
    incident = queries.get_incident(deps, number)
    assert incident.steps["confirm"].status is StepStatus.READY
    assert incident.steps["notify_supplier"].status is StepStatus.PENDING
    with deps.uow() as uow:
        actions = [e.action for e in uow.audit.entries(incident.id)]
        assert "step.reopened" in actions
        assert uow.audit.verify(number) == []


def test_the_audit_chain_of_a_worked_incident_verifies(deps: Any) -> None:
    number = reported(deps)
    confirm(deps, number)
    steps.skip_step(deps, number, "contain", SEC, "nothing left online")
    with deps.uow() as uow:
        assert uow.audit.verify(number) == []
