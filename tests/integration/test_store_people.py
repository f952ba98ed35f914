"""The names cache: one lookup owed per person however many actions arrive together, none while
a name is fresh, again once it is old; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from leakbot.store.uow import UnitOfWork

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
FRESH, RETRY = timedelta(days=7), timedelta(hours=1)


def test_an_unknown_person_is_claimed_once_until_the_retry_time(uow: UnitOfWork) -> None:
    with uow:
        assert uow.people.claim_lookups(["U1", "U2", "U1"], T0, FRESH, RETRY) == ["U1", "U2"]
        assert uow.people.claim_lookups(["U1"], T0 + timedelta(minutes=5), FRESH, RETRY) == []
        uow.commit()
    with uow:
        later = T0 + timedelta(hours=2)  # the first lookup never answered: ask again
        assert uow.people.claim_lookups(["U1"], later, FRESH, RETRY) == ["U1"]
        uow.commit()


def test_a_learnt_name_is_fresh_for_a_week_then_claimed_again(uow: UnitOfWork) -> None:
    with uow:
        uow.people.claim_lookups(["U1"], T0, FRESH, RETRY)
        uow.people.remember("U1", "Li Na", T0)
        uow.commit()
    with uow:
        assert uow.people.names(["U1", "U9"]) == {"U1": "Li Na"}
        assert uow.people.claim_lookups(["U1"], T0 + timedelta(days=6), FRESH, RETRY) == []
        assert uow.people.stale(T0 + timedelta(days=6), FRESH) == []
        assert uow.people.stale(T0 + timedelta(days=8), FRESH) == ["U1"]
        assert uow.people.claim_lookups(["U1"], T0 + timedelta(days=8), FRESH, RETRY) == ["U1"]


def test_a_person_slack_does_not_know_keeps_no_name_and_is_not_asked_for_a_week(
    uow: UnitOfWork,
) -> None:
    with uow:
        uow.people.claim_lookups(["U404"], T0, FRESH, RETRY)
        uow.people.remember("U404", None, T0)
        uow.commit()
    with uow:
        assert uow.people.names(["U404"]) == {}
        assert uow.people.claim_lookups(["U404"], T0 + timedelta(days=1), FRESH, RETRY) == []


def test_two_transactions_meeting_the_same_person_owe_one_lookup(
    session_factory: sessionmaker[Session],
) -> None:
    claimed: list[list[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def claim() -> None:
        try:
            with UnitOfWork(session_factory) as uow:
                start.wait()
                claimed.append(uow.people.claim_lookups(["U7"], T0, FRESH, RETRY))
                uow.commit()
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(claimed) == [[], ["U7"]]
