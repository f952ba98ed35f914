from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from leakbot.domain.errors import NotFound
from leakbot.domain.incident import Incident
from leakbot.store.uow import UnitOfWork

T0 = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


@pytest.fixture
def audited(uow: UnitOfWork, make_incident: Callable[..., Incident]) -> Incident:
    """LEAK-1 with three audit entries."""
    with uow:
        incident = uow.incidents.add(make_incident(number=uow.incidents.next_number()))
        assert incident.id is not None
        uow.audit.append(
            incident.id,
            "U0SEC00001",
            "incident.opened",
            "LEAK-1",
            None,
            {"playbook": "supplier-leak"},
            T0,
        )
        uow.audit.append(
            incident.id,
            "U0SEC00001",
            "step.completed",
            "confirm",
            {"status": "ready"},
            {"inputs": {}},
            T0 + timedelta(minutes=5),
        )
        uow.audit.append(
            incident.id,
            "U0LEG00001",
            "step.completed",
            "penalty",
            {"status": "ready"},
            {"inputs": {"amount": {"amount": "1000000.00", "currency": "CNY"}}},
            T0 + timedelta(minutes=9),
        )
        uow.commit()
    return incident


def raw(uow: UnitOfWork, sql: str) -> None:
    with uow:
        uow.session.execute(text(sql))
        uow.commit()


def test_appended_entries_form_an_intact_chain(uow: UnitOfWork, audited: Incident) -> None:
    with uow:
        entries = uow.audit.entries(audited.id)
        assert [e.seq for e in entries] == [1, 2, 3]
        assert [e.subject for e in entries] == ["LEAK-1", "confirm", "penalty"]
        assert entries[1].prev_hash == entries[0].hash
        assert entries[2].at == T0 + timedelta(minutes=9)
        assert uow.audit.verify(1) == []


def test_the_incident_keeps_the_head_and_count_of_its_log(
    uow: UnitOfWork, audited: Incident
) -> None:
    with uow:
        head, count = uow.session.execute(
            text("SELECT audit_head, audit_count FROM incidents WHERE number = 1")
        ).one()
        assert (head, count) == (uow.audit.entries(audited.id)[-1].hash, 3)


def test_an_entry_rolled_back_with_its_change_leaves_the_chain_intact(
    uow: UnitOfWork, audited: Incident
) -> None:
    assert audited.id is not None
    with uow:
        uow.audit.append(audited.id, "U0X", "step.reopened", "confirm", None, None, T0)
    with uow:
        assert len(uow.audit.entries(audited.id)) == 3
        assert uow.audit.verify(1) == []


def test_an_edited_field_is_detected(uow: UnitOfWork, audited: Incident) -> None:
    raw(uow, "UPDATE audit_entries SET actor = 'U0EVIL0001' WHERE seq = 2")
    with uow:
        assert uow.audit.verify(1) == ["entry 2 was altered: its hash does not match its content"]


def test_an_edited_json_value_is_detected(uow: UnitOfWork, audited: Incident) -> None:
    raw(uow, """UPDATE audit_entries SET "after" = '{"inputs": {"amount": "1"}}' WHERE seq = 3""")
    with uow:
        assert "entry 3 was altered: its hash does not match its content" in uow.audit.verify(1)


def test_a_deleted_middle_entry_is_detected(uow: UnitOfWork, audited: Incident) -> None:
    raw(uow, "DELETE FROM audit_entries WHERE seq = 2")
    with uow:
        problems = uow.audit.verify(1)
    assert "entry 3 does not follow the entry before it" in problems
    assert "the log holds 2 entries but 3 were written" in problems


def test_a_deleted_last_entry_is_detected(uow: UnitOfWork, audited: Incident) -> None:
    raw(uow, "DELETE FROM audit_entries WHERE seq = 3")
    with uow:
        assert uow.audit.verify(1) == [
            "the log holds 2 entries but 3 were written",
            "the newest entry is not the one last written",
        ]


def test_reordered_entries_are_detected(uow: UnitOfWork, audited: Incident) -> None:
    raw(uow, "UPDATE audit_entries SET seq = 99 WHERE seq = 2")
    raw(uow, "UPDATE audit_entries SET seq = 2 WHERE seq = 3")
    raw(uow, "UPDATE audit_entries SET seq = 3 WHERE seq = 99")
    with uow:
        problems = uow.audit.verify(1)
    assert "entry 2 was altered: its hash does not match its content" in problems
    assert "entry 2 does not follow the entry before it" in problems


def test_verifying_an_unknown_incident_names_it(uow: UnitOfWork) -> None:
    with uow, pytest.raises(NotFound, match="LEAK-5"):
        uow.audit.verify(5)


def test_entries_about_no_incident_form_their_own_chain(uow: UnitOfWork) -> None:
    with uow:
        uow.audit.append(None, "system", "config.loaded", "config", None, {"roles": 4}, T0)
        uow.audit.append(None, "system", "config.loaded", "config", None, {"roles": 5}, T0)
        uow.commit()
    with uow:
        assert [e.seq for e in uow.audit.entries(None)] == [1, 2]
        assert uow.audit.verify_global() == []
    raw(uow, "DELETE FROM audit_entries WHERE incident_id IS NULL AND seq = 2")
    with uow:
        assert uow.audit.verify_global() == ["the log holds 1 entries but 2 were written"]


def test_concurrent_appends_to_one_incident_take_consecutive_numbers(
    uow: UnitOfWork,
    session_factory,
    audited: Incident,  # type: ignore[no-untyped-def]
) -> None:
    assert audited.id is not None
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def append(n: int) -> None:
        try:
            start.wait()
            with UnitOfWork(session_factory) as mine:
                mine.audit.append(audited.id, f"U0T{n}", "note.added", "LEAK-1", None, {}, T0)
                mine.commit()
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=append, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with uow:
        assert [e.seq for e in uow.audit.entries(audited.id)] == list(range(1, 10))
        assert uow.audit.verify(1) == []
