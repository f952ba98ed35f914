"""What the drafted notices say, over real signed requests: people by name (learnt from
``users.info`` after the acknowledgement, kept in the database), option labels in both
languages, Chinese report fields, one takedown request per platform."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from leakbot.demo.story import COMMS, LEGAL, PROCUREMENT, REPORTER, SECURITY
from leakbot.slack.ids import ReportField

if TYPE_CHECKING:
    from conftest import Desk

TWO_PLATFORMS = (
    "https://weibo.example/status/1\nhttps://forum.example/t/ms11\nhttps://weibo.example/status/2"
)


def drafts(desk: Desk, number: int) -> dict[tuple[str, str, str], Any]:
    with desk.world.deps.uow() as uow:
        incident = uow.incidents.get(number)
        assert incident.id is not None
        return {(d.kind, d.locale, d.addressee): d for d in uow.notices.latest(incident.id)}


def run_to_the_end(desk: Desk, number: int) -> None:
    """Every step of the bundled playbook, as the demo's people do them."""
    desk.complete(SECURITY, number, "confirm", {"verdict": "confirmed"})
    desk.complete(SECURITY, number, "contain", {"removed": "all_removed"})
    desk.complete(LEGAL, number, "notify_supplier", {"sent_on": "2026-11-20"})
    desk.complete(LEGAL, number, "assess_penalty", {})
    desk.complete(PROCUREMENT, number, "demand_rectification", {"sent_on": "2026-11-21"})
    desk.complete(
        PROCUREMENT,
        number,
        "track_rectification",
        {"plan_received_on": "2026-11-28", "accepted": "accepted_with_conditions"},
    )
    desk.complete(COMMS, number, "partner_advisory")
    desk.complete(REPORTER, number, "close", {"lessons": "Watermark every draft."})


@pytest.fixture(scope="module")
def finished(desk: Desk) -> int:
    number = desk.report(
        **{
            ReportField.TITLE_ZH.value: "MS11保险杠草图被发布在论坛上",
            ReportField.ASSET_ZH.value: "MS11保险杠设计草图",
        }
    )
    run_to_the_end(desk, number)
    return number


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_summary_names_people_by_their_slack_names_and_options_by_their_labels(
    desk: Desk, finished: int, locale: str
) -> None:
    body = drafts(desk, finished)[("internal_summary", locale, "")].body
    for name in ("Zhang Wei", "Li Na", "Chen Jie", "Wang Fang", "Zhao Min"):
        assert name in body, name
    for raw in ("U0REP00001", "U0SEC00001", "U0LEG00001", "all\\_removed", "all_removed"):
        assert raw not in body, raw
    for code in ("step.completed", "notice.drafted", "incident.opened", "`"):
        assert code not in body, code
    if locale == "en":
        assert "All copies removed" in body and "Accepted with conditions" in body
        assert "| Time | Person | Event |" in body and "Completed “Confirm the leak”" in body
    else:
        assert "已全部删除" in body and "有条件通过" in body and "完成“确认泄露”" in body
        assert "| 确认泄露 | 已完成 | Li Na |" in body
        assert "MS11保险杠草图被发布在论坛上" in body and "Confirm the leak" not in body


def test_names_are_kept_in_the_database_and_not_asked_for_again(desk: Desk, finished: int) -> None:
    with desk.world.deps.uow() as uow:
        known = uow.people.names([REPORTER, SECURITY, LEGAL, PROCUREMENT, COMMS])
    assert known == {
        REPORTER: "Zhang Wei",
        SECURITY: "Li Na",
        LEGAL: "Chen Jie",
        PROCUREMENT: "Wang Fang",
        COMMS: "Zhao Min",
    }
    asked = len(desk.calls("users.info"))
    again = desk.report()
    desk.confirm(again)
    assert len(desk.calls("users.info")) == asked
    assert all(c.ok for c in desk.calls("users.info"))


def test_chinese_letters_use_the_chinese_fields_of_the_report(desk: Desk, finished: int) -> None:
    found = drafts(desk, finished)
    for kind in ("breach_notice", "penalty_demand", "rectification_demand"):
        zh = found[(kind, "zh", "")].body
        assert "MS11保险杠设计草图" in zh and "MS11 bumper design drafts" not in zh, kind
        assert "MS11保险杠设计草图" not in found[(kind, "en", "")].body


def test_without_chinese_fields_a_chinese_letter_quotes_the_original(desk: Desk) -> None:
    number = desk.report()
    desk.confirm(number)
    desk.complete(LEGAL, number, "notify_supplier", {"sent_on": "2026-11-20"})
    found = drafts(desk, number)
    breach = found[("breach_notice", "zh", "")].body
    assert "**涉及信息**：「MS11 bumper design drafts」" in breach
    penalty = found[("penalty_demand", "zh", "")].body
    assert "（「MS11 bumper design drafts」）" in penalty and "于2026年11月20日" in penalty
    assert "dated 20 November 2026" in found[("penalty_demand", "en", "")].body


def test_one_takedown_request_goes_to_each_platform_with_its_own_addresses(desk: Desk) -> None:
    number = desk.report(**{ReportField.WHERE_SEEN.value: TWO_PLATFORMS})
    desk.confirm(number)
    found = drafts(desk, number)
    takedowns = sorted(k for k in found if k[0] == "takedown_request")
    assert takedowns == sorted(
        ("takedown_request", locale, host)
        for host in ("forum.example", "weibo.example")
        for locale in ("en", "zh")
    )
    weibo = found[("takedown_request", "en", "weibo.example")].body
    assert "To the operator of weibo.example," in weibo
    assert "https://weibo.example/status/1" in weibo and "https://weibo.example/status/2" in weibo
    assert "forum.example" not in weibo
    forum = found[("takedown_request", "zh", "forum.example")].body
    assert "forum.example 平台运营方：" in forum and "weibo.example" not in forum


def test_a_name_is_looked_up_after_the_acknowledgement_never_before(own_desk: Desk) -> None:
    """Every Web API call takes 3 s, yet the report is answered in time: no users.info (nor
    anything else) is called before the acknowledgement; the lookup follows from the outbox."""
    desk = own_desk
    view = desk.open_report()
    desk.world.settle()
    desk.standin.latency = 3.0
    try:
        sent = time.time()
        reply = desk.world.submit(REPORTER, view, dict(desk.REPORT))
        assert reply.status == 200 and reply.elapsed < 2.5, reply.elapsed
        call = desk.wait_for(
            lambda: desk.calls("users.info", user=REPORTER), timeout=30, what="users.info"
        )[0]
        assert call.at - 3.0 >= sent + reply.elapsed - 0.5  # it began after the answer
    finally:
        desk.standin.latency = 0.0

    def known() -> dict[str, str]:
        with desk.world.deps.uow() as uow:
            return uow.people.names([REPORTER])

    assert desk.wait_for(known, what="the name") == {REPORTER: "Zhang Wei"}


def test_a_refused_lookup_leaves_the_id_and_tells_no_one(own_desk: Desk) -> None:
    """An app installed before ``users:read`` was in the manifest: Slack answers missing_scope.
    Names are a nicety: the notices keep the ids, nobody is bothered with a failure."""
    own_desk.standin.fail("users.info", "missing_scope", status=200, retry_after=None, times=50)
    number = own_desk.report()
    own_desk.confirm(number)
    own_desk.world.settle()
    assert own_desk.calls("users.info") and not any(c.ok for c in own_desk.calls("users.info"))
    posts = [c.args.get("text") or "" for c in own_desk.calls("chat.postMessage")]
    assert not any("given up" in text for text in posts)
    with own_desk.world.deps.uow() as uow:
        assert uow.people.names([REPORTER, SECURITY]) == {}
    assert drafts(own_desk, number)[("breach_notice", "en", "")]
