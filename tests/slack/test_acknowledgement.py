"""Every Slack request is acknowledged within 3 seconds while the Web API is slow (CONTRACT §2):
each Web API call here takes a full second, yet the answer comes back at once and the work
follows afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from leakbot.demo.story import COMMS, LEGAL, REPORTER, SECURITY
from leakbot.devslack import Reply
from leakbot.slack.ids import REASON_FIELD, Action, View

if TYPE_CHECKING:
    from conftest import Desk

SLACK_LATENCY = 1.0
ACK_WITHIN = 2.5


@pytest.fixture
def slow(desk: Desk) -> Iterator[Desk]:
    desk.world.settle()
    desk.standin.latency = SLACK_LATENCY
    try:
        yield desk
    finally:
        desk.standin.latency = 0.0
        desk.world.settle()


@pytest.fixture(scope="module")
def number(desk: Desk) -> int:
    """An incident whose channel is open and whose first step is done."""
    found = desk.report()
    desk.confirm(found)
    return found


def _acknowledged(reply: Reply) -> Reply:
    assert reply.status == 200, reply.text
    assert reply.elapsed < ACK_WITHIN, f"acknowledged after {reply.elapsed:.2f} s"
    return reply


def _then(desk: Desk, method: str, before: int, **where: str) -> None:
    """The Web API work the request owed happens after the acknowledgement."""
    desk.wait_for(
        lambda: len(desk.calls(method, **where)) > before, timeout=15, what=f"{method} after ack"
    )


def test_the_report_command_is_acknowledged_at_once_and_the_modal_follows(slow: Desk) -> None:
    before = len(slow.calls("views.open"))
    _acknowledged(slow.world.slash(REPORTER, ""))
    _then(slow, "views.open", before)
    assert slow.calls("views.open")[-1].ok


@pytest.mark.parametrize("text", ["list", "status {n}", "notices {n}", "help"])
def test_answering_commands_is_acknowledged_at_once(slow: Desk, number: int, text: str) -> None:
    reply = _acknowledged(slow.world.slash(LEGAL, text.format(n=number)))
    assert reply.json()["response_type"] == "ephemeral"


def test_a_click_without_inputs_is_acknowledged_and_the_checklist_updated_after(
    slow: Desk, number: int
) -> None:
    channel, ts = slow.world.checklist(number)
    before = len(slow.calls("chat.update", channel=channel, ts=ts))
    _acknowledged(slow.click(COMMS, Action.COMPLETE_STEP, number, "partner_advisory"))
    _then(slow, "chat.update", before, channel=channel, ts=ts)


def test_a_click_with_inputs_is_acknowledged_and_the_modal_follows(slow: Desk, number: int) -> None:
    before = len(slow.calls("views.open"))
    _acknowledged(slow.click(LEGAL, Action.COMPLETE_STEP, number, "notify_supplier"))
    _then(slow, "views.open", before)
    assert slow.calls("views.open")[-1].ok, "the trigger id expired before the modal opened"
    view = slow.world.modal_for(LEGAL, View.STEP_INPUTS.value)
    channel, ts = slow.world.checklist(number)
    updates = len(slow.calls("chat.update", channel=channel, ts=ts))
    _acknowledged(slow.world.submit(LEGAL, view, {"sent_on": "2026-01-02"}))
    _then(slow, "chat.update", updates, channel=channel, ts=ts)


def test_the_report_submission_is_acknowledged_and_the_channel_follows(slow: Desk) -> None:
    slow.standin.latency = 0.0
    view = slow.open_report()
    slow.standin.latency = SLACK_LATENCY
    before = len(slow.calls("conversations.create"))
    reply = _acknowledged(slow.world.submit(REPORTER, view, slow.REPORT))
    assert reply.json()["response_action"] == "update"
    _then(slow, "conversations.create", before)


def test_a_reopen_click_is_acknowledged_and_the_reason_modal_follows(
    slow: Desk, number: int
) -> None:
    before = len(slow.calls("views.open"))
    _acknowledged(slow.click(SECURITY, Action.REOPEN_STEP, number, "confirm"))
    _then(slow, "views.open", before)
    view = slow.world.modal_for(SECURITY, View.REASON.value)
    reply = _acknowledged(slow.world.submit(SECURITY, view, {REASON_FIELD: ""}))
    assert reply.json()["response_action"] == "errors"
    slow.standin.close_view(view["id"])


def test_app_home_opened_is_acknowledged_and_the_home_published_after(slow: Desk) -> None:
    before = len(slow.calls("views.publish", user_id=SECURITY))
    event = {"type": "app_home_opened", "user": SECURITY, "tab": "home"}
    _acknowledged(slow.world.slack.event(event))
    _then(slow, "views.publish", before, user_id=SECURITY)


# --- nothing waits for Slack before the acknowledgement, even right after start ---------------


def test_the_first_request_after_start_is_acknowledged_in_time_while_slack_is_slow(
    own_desk: Desk,
) -> None:
    own_desk.standin.latency = 3.5
    try:
        reply = own_desk.world.slash(LEGAL, "help")
    finally:
        own_desk.standin.latency = 0.0
    assert reply.status == 200
    assert reply.elapsed < 3.0, f"acknowledged after {reply.elapsed:.2f} s"


def test_the_first_request_after_start_is_answered_while_slack_is_unreachable(
    own_desk: Desk,
) -> None:
    own_desk.standin.go_down("refuse")
    try:
        reply = own_desk.world.slash(LEGAL, "list")
    finally:
        own_desk.standin.come_back()
    assert reply.status == 200, reply.status
    assert reply.json()["response_type"] == "ephemeral"


def test_a_command_is_acknowledged_in_time_when_the_group_cache_has_expired(
    own_desk: Desk,
) -> None:
    found = own_desk.report()
    world = own_desk.world
    # As five minutes later: every group membership is due to be asked again.
    world.deps.directory.expire()
    own_desk.standin.latency = 3.5
    try:
        reply = world.slash(LEGAL, f"status {found}")
    finally:
        own_desk.standin.latency = 0.0
    assert reply.status == 200
    assert reply.elapsed < 3.0, f"acknowledged after {reply.elapsed:.2f} s"
