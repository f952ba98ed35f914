from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from leakbot.domain.errors import NotFound
from leakbot.domain.incident import Incident, IncidentStatus, StepStatus
from leakbot.store import incidents as incidents_module
from leakbot.store.incidents import DuplicateKey, IncidentLinks, IncidentPeek
from leakbot.store.uow import UnitOfWork

NOW = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def add(
    uow: UnitOfWork, make_incident: Callable[..., Incident], key: str | None = None
) -> Incident:
    with uow:
        incident = make_incident(number=uow.incidents.next_number())
        uow.incidents.add(incident, idempotency_key=key)
        uow.commit()
    return incident


def test_an_incident_with_steps_and_inputs_reads_back_as_it_was_saved(
    uow: UnitOfWork, make_incident: Callable[..., Incident]
) -> None:
    incident = add(uow, make_incident)
    assert incident.id is not None
    confirm, penalty = incident.steps["confirm"], incident.steps["penalty"]
    confirm.status, confirm.done_by, confirm.done_at = StepStatus.DONE, "U0SEC00001", NOW
    penalty.status, penalty.ready_at = StepStatus.READY, NOW
    penalty.due_at = NOW + timedelta(days=14)
    penalty.inputs = {"amount": {"amount": "1000000.00", "currency": "CNY"}, "basis": "nda"}
    incident.commander = "U0LEG00001"
    with uow:
        uow.incidents.save(incident)
        uow.commit()
    with uow:
        back = uow.incidents.get(incident.number)
    assert back == incident
    with uow:  # read as rows, or as mapped records when locked: the same incident
        assert uow.incidents.get(incident.number, for_update=True) == back
    assert back.playbook == incident.playbook
    assert back.facts.where_seen == ("https://forum.example/t/1",)
    assert back.steps["penalty"].due_at == NOW + timedelta(days=14)
    assert back.steps["penalty"].due_at.tzinfo is not None
    assert list(back.steps) == ["confirm", "penalty", "plan"]


def test_an_incident_peeked_outside_a_unit_of_work_is_the_one_a_unit_of_work_reads(
    uow: UnitOfWork,
    session_factory,
    make_incident: Callable[..., Incident],  # type: ignore[no-untyped-def]
) -> None:
    incident = add(uow, make_incident)
    penalty = incident.steps["penalty"]
    penalty.status, penalty.ready_at, penalty.due_at = StepStatus.READY, NOW, NOW + timedelta(1)
    penalty.inputs = {"amount": {"amount": "1000000.00", "currency": "CNY"}, "note": "违约金"}
    with uow:
        uow.incidents.save(incident)
        uow.commit()
    incidents_module._PLAYBOOKS.clear()  # the peek reads the frozen playbook itself
    peek = IncidentPeek(session_factory.kw["bind"])
    peeked = peek.get(incident.number)
    with uow:
        assert uow.incidents.get(incident.number, for_update=True) == peeked
    assert peeked == incident and peek.get(incident.number) == incident  # parsed once, kept
    assert peeked.steps["penalty"].due_at.tzinfo is not None  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        peek.get(incident.number + 1)


def test_closing_writes_the_close_fields_back(
    uow: UnitOfWork, make_incident: Callable[..., Incident]
) -> None:
    incident = add(uow, make_incident)
    incident.status = IncidentStatus.FALSE_ALARM
    incident.closed_at, incident.closed_by, incident.close_reason = NOW, "U0SEC00001", "not ours"
    with uow:
        uow.incidents.save(incident)
        uow.commit()
    with uow:
        back = uow.incidents.get(incident.number, for_update=True)
        assert uow.incidents.list_open() == []
    assert (back.status, back.closed_by, back.close_reason) == (
        IncidentStatus.FALSE_ALARM,
        "U0SEC00001",
        "not ours",
    )


def test_eight_threads_taking_numbers_get_one_to_eight_without_gaps(
    uow: UnitOfWork,
    session_factory,
    make_incident: Callable[..., Incident],  # type: ignore[no-untyped-def]
) -> None:
    numbers: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def report() -> None:
        try:
            start.wait()
            with UnitOfWork(session_factory) as mine:
                number = mine.incidents.next_number()
                mine.incidents.add(make_incident(number=number))
                mine.commit()
            numbers.append(number)
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=report) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 9))


def test_a_rolled_back_report_gives_its_number_back(
    uow: UnitOfWork, make_incident: Callable[..., Incident]
) -> None:
    with uow:
        assert uow.incidents.next_number() == 1
    with uow:
        assert uow.incidents.next_number() == 1
        uow.commit()
    with uow:
        assert uow.incidents.next_number() == 2


def test_an_idempotency_key_is_taken_once(
    uow: UnitOfWork, make_incident: Callable[..., Incident]
) -> None:
    first = add(uow, make_incident, key="view-123")
    with uow:
        assert uow.incidents.by_idempotency_key("view-123") == first
        assert uow.incidents.by_idempotency_key("view-999") is None
    with uow, pytest.raises(DuplicateKey):
        uow.incidents.add(make_incident(number=99), idempotency_key="view-123")


def test_a_missing_incident_is_not_found_by_its_reference(uow: UnitOfWork) -> None:
    with uow, pytest.raises(NotFound, match="LEAK-42"):
        uow.incidents.get(42)


def test_slack_links_are_set_and_found_by_channel(
    uow: UnitOfWork, make_incident: Callable[..., Incident]
) -> None:
    incident = add(uow, make_incident)
    assert incident.id is not None
    with uow:
        assert uow.incidents.links(incident.id) == IncidentLinks()
        uow.incidents.set_links(incident.id, channel_id="C0LEAK0001", channel_name="leak-1-x")
        uow.incidents.set_links(incident.id, checklist_ts="1715000000.000100")
        uow.commit()
    with uow:
        assert uow.incidents.links(incident.id) == IncidentLinks(
            "C0LEAK0001", "leak-1-x", "1715000000.000100", None
        )
        found = uow.incidents.by_channel("C0LEAK0001")
        assert found is not None and found.number == incident.number
        assert uow.incidents.by_channel("C0OTHER001") is None
        with pytest.raises(TypeError, match="title"):
            uow.incidents.set_links(incident.id, title="x")


def test_overdue_steps_and_idle_incidents_are_listed(
    uow: UnitOfWork, make_incident: Callable[..., Incident]
) -> None:
    incident = add(uow, make_incident)
    assert incident.id is not None
    penalty = incident.steps["penalty"]
    penalty.status, penalty.due_at = StepStatus.READY, NOW + timedelta(days=1)
    with uow:
        uow.incidents.save(incident)
        uow.incidents.touch(incident.id, NOW + timedelta(hours=1))
        uow.commit()
    with uow:
        assert uow.incidents.overdue(NOW) == []
        assert uow.incidents.overdue(NOW + timedelta(days=2)) == [(1, "penalty")]
        assert uow.incidents.idle(NOW) == []
        assert uow.incidents.idle(NOW + timedelta(days=3)) == [1]


def test_changes_made_under_the_incident_lock_are_never_lost(
    uow: UnitOfWork,
    session_factory,
    make_incident: Callable[..., Incident],  # type: ignore[no-untyped-def]
) -> None:
    add(uow, make_incident)
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def annotate(n: int) -> None:
        try:
            start.wait()
            with UnitOfWork(session_factory) as mine:
                incident = mine.incidents.get(1, for_update=True)
                incident.facts.description += f" [{n}]"
                mine.incidents.save(incident)
                mine.commit()
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=annotate, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with uow:
        description = uow.incidents.get(1).facts.description
    assert all(f"[{n}]" in description for n in range(6))
