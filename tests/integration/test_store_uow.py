from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from leakbot.domain.errors import NotFound
from leakbot.domain.incident import Incident
from leakbot.store.uow import UnitOfWork


def test_rolls_back_uncommitted_work_by_default(
    uow: UnitOfWork, make_incident: Callable[..., Incident]
) -> None:
    with uow:
        uow.incidents.add(make_incident(number=uow.incidents.next_number()))
    with uow, pytest.raises(NotFound):
        uow.incidents.get(1)


def test_rolls_back_on_error(uow: UnitOfWork, make_incident: Callable[..., Incident]) -> None:
    with pytest.raises(RuntimeError), uow:
        uow.incidents.add(make_incident(number=1))
        raise RuntimeError("half-way")
    with uow:
        count = uow.session.execute(text("SELECT count(*) FROM incidents")).scalar()
    assert count == 0


def test_committed_work_is_kept(uow: UnitOfWork, make_incident: Callable[..., Incident]) -> None:
    with uow:
        uow.incidents.add(make_incident(number=uow.incidents.next_number()))
        uow.commit()
    with uow:
        assert uow.incidents.get(1).facts.title == "Bumper drafts on a forum"


def test_a_read_only_unit_of_work_reads_while_a_writer_holds_the_lock(
    uow: UnitOfWork,
    session_factory,
    make_incident: Callable[..., Incident],  # type: ignore[no-untyped-def]
) -> None:
    with uow:
        uow.incidents.add(make_incident(number=1))
        uow.commit()
    with uow:
        uow.incidents.touch(1, make_incident().opened_at)  # holds the write lock on SQLite
        with UnitOfWork(session_factory, read_only=True) as reader:
            assert [i.number for i in reader.incidents.list_open()] == [1]
