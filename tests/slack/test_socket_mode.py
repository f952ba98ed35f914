"""The same Bolt app over Socket Mode: what a person sees comes back in the acknowledgement's
payload (a slash command's answer, a modal's ``response_action``), events are acknowledged
with none, a redelivered event changes nothing, and a request in flight while Slack refreshes
the connection is acknowledged once and acted on once."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest

from leakbot.demo.story import LEGAL, REPORTER
from leakbot.devslack import Reply
from leakbot.slack.ids import ReportField

if TYPE_CHECKING:
    from conftest import Desk


def test_a_slash_command_is_answered_in_its_acknowledgement(socket_desk: Desk) -> None:
    reply = socket_desk.world.slash(REPORTER, "help")

    assert reply.status == 200
    answer = reply.json()
    assert answer["response_type"] == "ephemeral"
    assert "/leak" in str(answer)
    (envelope,) = [
        e
        for e in socket_desk.standin.socket_mode.envelopes
        if e.type == "slash_commands" and e.payload["text"] == "help"
    ]
    assert envelope.accepts_response_payload
    assert envelope.ack is not None and envelope.ack.payload == answer


def test_a_bad_field_is_answered_with_errors_in_the_modal(socket_desk: Desk) -> None:
    incidents = socket_desk.incident_count()

    reply = socket_desk.submit_report(**{ReportField.WHERE_SEEN.value: "not a link"})

    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["where_seen"]
    socket_desk.world.settle()
    assert socket_desk.incident_count() == incidents


def test_a_report_is_answered_with_the_updated_modal_and_opens_the_channel(
    socket_desk: Desk,
) -> None:
    reply = socket_desk.submit_report()

    assert reply.json()["response_action"] == "update"
    socket_desk.world.settle()
    number = socket_desk.newest().number
    channel, ts = socket_desk.world.checklist(number)
    assert socket_desk.standin.workspace.channels[channel].is_private
    assert ts


def test_an_event_is_acknowledged_with_no_payload_and_its_redelivery_changes_nothing(
    socket_desk: Desk,
) -> None:
    desk = socket_desk
    event = {"type": "app_home_opened", "user": LEGAL, "tab": "home", "channel": "D0HOME0002"}
    before = len(desk.calls("views.publish", user_id=LEGAL))

    first = desk.world.slack.event(event, event_id="Ev0SOCKET01")
    desk.wait_for(lambda: len(desk.calls("views.publish", user_id=LEGAL)) > before)
    again = desk.world.slack.event(
        event, event_id="Ev0SOCKET01", retry_num=1, retry_reason="timeout"
    )
    desk.world.settle()
    time.sleep(0.3)

    assert (first.status, first.body) == (200, b"")
    assert (again.status, again.body) == (200, b"")
    events = [e for e in desk.standin.socket_mode.envelopes if e.type == "events_api"]
    assert events[-1].retry_attempt == 1 and not events[-1].accepts_response_payload
    assert len(desk.calls("views.publish", user_id=LEGAL)) == before + 1


@pytest.mark.parametrize("reason", ["refresh_requested", "warning"])
def test_a_request_in_flight_during_a_refresh_is_acknowledged_once_and_acted_on_once(
    socket_desk: Desk, reason: str
) -> None:
    desk = socket_desk
    endpoint = desk.standin.socket_mode
    links = len(endpoint.links)
    opened = len(desk.calls("views.open"))
    replies: list[Reply] = []
    sender = threading.Thread(target=lambda: replies.append(desk.world.slash(REPORTER, "")))

    sender.start()
    endpoint.disconnect(reason)  # type: ignore[arg-type]
    sender.join(15)
    desk.world.settle()

    assert replies and replies[0].status == 200
    assert len(endpoint.links) == links + 1
    assert all(len(e.acks) == 1 for e in endpoint.envelopes)
    desk.wait_for(lambda: len(desk.calls("views.open")) == opened + 1, what="the report modal")
    time.sleep(0.3)
    assert len(desk.calls("views.open")) == opened + 1
    after = desk.world.slash(REPORTER, "help")
    assert after.status == 200 and "/leak" in after.text
    desk.standin.assert_clean()


def test_requests_are_acknowledged_at_once_while_the_web_api_is_slow(socket_desk: Desk) -> None:
    desk = socket_desk
    desk.world.settle()
    opened = len(desk.calls("views.open"))
    desk.standin.latency = 1.0  # every Web API call takes a second
    try:
        command = desk.world.slash(REPORTER, "")
        home = desk.world.slack.event({"type": "app_home_opened", "user": LEGAL, "tab": "home"})
        desk.wait_for(lambda: len(desk.calls("views.open")) > opened, timeout=15)
    finally:
        desk.standin.latency = 0.0
        desk.world.settle()

    assert command.status == home.status == 200
    assert command.elapsed < 2.5 and home.elapsed < 2.5, (command.elapsed, home.elapsed)
