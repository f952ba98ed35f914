from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from leakbot.domain.errors import AlreadyDone, Refused
from leakbot.domain.incident import Incident
from leakbot.store.models import NoticeDraftRecord
from leakbot.store.notice_drafts import NoticeDraftRow
from leakbot.store.uow import UnitOfWork

T0 = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


@pytest.fixture
def incident_id(uow: UnitOfWork, make_incident: Callable[..., Incident]) -> int:
    with uow:
        incident = uow.incidents.add(make_incident(number=1))
        uow.commit()
    assert incident.id is not None
    return incident.id


def draft(uow: UnitOfWork, incident_id: int, kind: str, locale: str, body: str) -> NoticeDraftRow:
    with uow:
        row = uow.notices.add_draft(
            incident_id,
            kind,
            locale,
            f"{kind} ({locale})",
            "Beijing Molding",
            body,
            "h" * 64,
            "U0LEG00001",
            T0,
        )
        uow.commit()
    return row


def test_each_redraft_of_a_kind_and_locale_is_a_new_version(
    uow: UnitOfWork, incident_id: int
) -> None:
    first = draft(uow, incident_id, "breach_notice", "en", "v1")
    second = draft(uow, incident_id, "breach_notice", "en", "v2")
    chinese = draft(uow, incident_id, "breach_notice", "zh", "第一版")
    assert (first.version, second.version, chinese.version) == (1, 2, 1)
    with uow:
        versions = uow.notices.all_versions(incident_id, "breach_notice", "en")
        assert [(v.version, v.body) for v in versions] == [(1, "v1"), (2, "v2")]
        assert uow.notices.get(chinese.id).body == "第一版"


def test_each_addressee_has_its_own_versions_and_latest_shows_each(
    uow: UnitOfWork, incident_id: int
) -> None:
    """A takedown request per platform: each host's copy is versioned on its own."""
    with uow:
        for host, body in (
            ("weibo.example", "w1"),
            ("forum.example", "f1"),
            ("weibo.example", "w2"),
        ):
            uow.notices.add_draft(
                incident_id,
                "takedown_request",
                "en",
                "T",
                "platform",
                body,
                "h" * 64,
                "U0SEC00001",
                T0,
                addressee=host,
            )
        uow.commit()
    with uow:
        latest = uow.notices.latest(incident_id)
        every = uow.notices.all_versions(incident_id, "takedown_request", "en")
        weibo = uow.notices.all_versions(incident_id, "takedown_request", "en", "weibo.example")
    assert [(n.addressee, n.version, n.body) for n in latest] == [
        ("forum.example", 1, "f1"),
        ("weibo.example", 2, "w2"),
    ]
    assert [(n.addressee, n.version) for n in every] == [
        ("forum.example", 1),
        ("weibo.example", 1),
        ("weibo.example", 2),
    ]
    assert [n.body for n in weibo] == ["w1", "w2"]


def test_latest_gives_the_newest_version_of_each_kind_and_locale(
    uow: UnitOfWork, incident_id: int
) -> None:
    draft(uow, incident_id, "breach_notice", "en", "v1")
    draft(uow, incident_id, "breach_notice", "en", "v2")
    draft(uow, incident_id, "breach_notice", "zh", "一")
    draft(uow, incident_id, "penalty_demand", "en", "pay")
    with uow:
        latest = uow.notices.latest(incident_id)
    assert [(n.kind, n.locale, n.version, n.body) for n in latest] == [
        ("breach_notice", "en", 2, "v2"),
        ("breach_notice", "zh", 1, "一"),
        ("penalty_demand", "en", 1, "pay"),
    ]


def test_approval_is_recorded_and_cannot_be_given_twice(uow: UnitOfWork, incident_id: int) -> None:
    row = draft(uow, incident_id, "breach_notice", "en", "v1")
    with uow:
        approved = uow.notices.approve(row.id, "U0LEG00001", T0 + timedelta(hours=1))
        uow.commit()
    assert approved.approved and approved.approved_by == "U0LEG00001"
    assert approved.approved_at == T0 + timedelta(hours=1)
    with uow, pytest.raises(AlreadyDone) as caught:
        uow.notices.approve(row.id, "U0LEG00002", T0 + timedelta(hours=2))
    assert caught.value.by == "U0LEG00001"
    with uow:
        assert uow.notices.get(row.id).approved_by == "U0LEG00001"


def test_an_approved_version_cannot_be_edited(uow: UnitOfWork, incident_id: int) -> None:
    row = draft(uow, incident_id, "breach_notice", "en", "v1")
    with uow:
        assert uow.notices.edit(row.id, body="v1, fixed").body == "v1, fixed"
        uow.notices.approve(row.id, "U0LEG00001", T0)
        uow.commit()
    with uow, pytest.raises(Refused, match="approved"):
        uow.notices.edit(row.id, body="changed after approval")
    with uow:
        assert uow.notices.get(row.id).body == "v1, fixed"


def test_an_approved_version_is_guarded_even_below_the_repository(
    uow: UnitOfWork, incident_id: int
) -> None:
    row = draft(uow, incident_id, "breach_notice", "en", "v1")
    with uow:
        uow.notices.approve(row.id, "U0LEG00001", T0)
        uow.commit()
    with uow:
        record = uow.session.get(NoticeDraftRecord, row.id)
        assert record is not None
        record.body = "rewritten"
        with pytest.raises(ValueError, match="approved"):
            uow.session.flush()


def test_a_draft_belongs_to_an_existing_incident(uow: UnitOfWork, incident_id: int) -> None:
    with uow, pytest.raises(IntegrityError):
        uow.notices.add_draft(incident_id + 100, "k", "en", "t", "a", "b", "h", "U0LEG00001", T0)
