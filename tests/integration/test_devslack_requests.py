"""Signed requests from SlackRequester reach a real Bolt app, whose WebClient calls the stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from bolt_server import SEC, SECRET, general_standin, serving
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient

from leakbot.devslack import SlackRequester, SlackStandIn

MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Report"}, "blocks": []}


@dataclass
class Seen:
    """What the app's listeners received, for the tests to compare with what was sent."""

    commands: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    closed: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)


def build_app(standin: SlackStandIn, seen: Seen) -> App:
    client = WebClient(base_url=standin.api_url, token=standin.token)
    app = App(signing_secret=SECRET, client=client, process_before_response=True)

    @app.command("/leak")
    def leak(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        seen.commands.append(body)
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)
        respond(text="Opening the report form")

    @app.action("step_done")
    def step_done(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen.actions.append(body)

    @app.view("report")
    def report(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen.submissions.append(body)

    @app.view_closed("report")
    def closed(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen.closed.append(body)

    @app.event("app_mention")
    def mention(event: dict[str, Any], request: BoltRequest) -> None:
        retry = request.headers.get("x-slack-retry-num", [None])[0]
        seen.events.append((event, retry))

    return app


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with general_standin() as running:
        yield running


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def requester(standin: SlackStandIn, seen: Seen) -> Iterator[SlackRequester]:
    with serving(build_app(standin, seen), standin) as requester:
        yield requester


def test_a_slash_command_is_verified_acknowledged_and_its_work_reaches_the_stand_in(
    requester: SlackRequester, standin: SlackStandIn, seen: Seen
) -> None:
    reply = requester.slash_command(SEC, "report", channel_id="C0GENERAL01")

    assert reply.status == 200 and reply.elapsed < 3
    assert seen.commands[0]["text"] == "report" and seen.commands[0]["user_id"] == SEC
    assert len(standin.open_views) == 1
    assert [e.text for e in standin.ephemerals(SEC)] == ["Opening the report form"]
    standin.assert_clean()


@pytest.mark.parametrize("tamper", [{"stale": True}, {"bad_signature": True}])
def test_a_stale_or_badly_signed_request_gets_401_and_changes_nothing(
    requester: SlackRequester, standin: SlackStandIn, seen: Seen, tamper: dict[str, bool]
) -> None:
    reply = requester.slash_command(SEC, "report", **tamper)

    assert reply.status == 401
    assert seen.commands == [] and standin.open_views == [] and standin.responses == []


def test_a_button_click_carries_its_action_channel_and_message(
    requester: SlackRequester, seen: Seen
) -> None:
    reply = requester.block_action(
        SEC, "step_done", "contain", channel_id="C0GENERAL01", message_ts="1700000000.000200"
    )

    assert reply.status == 200
    (body,) = seen.actions
    assert body["actions"][0]["value"] == "contain"
    assert body["container"] == {
        "type": "message",
        "message_ts": "1700000000.000200",
        "channel_id": "C0GENERAL01",
        "is_ephemeral": False,
    }
    assert body["response_url"].startswith("http://127.0.0.1:")


def test_a_modal_submission_and_close_carry_state_and_metadata(
    requester: SlackRequester, seen: Seen
) -> None:
    values = {"title": {"value": "Bumper drafts leaked"}, "severity": {"pick": {"type": "x"}}}

    submitted = requester.view_submission(SEC, "report", values, private_metadata="LEAK-1")
    closed = requester.view_closed(SEC, "report", private_metadata="LEAK-1")

    assert submitted.status == 200 and closed.status == 200
    view = seen.submissions[0]["view"]
    assert view["private_metadata"] == "LEAK-1"
    assert view["state"]["values"]["title"]["value"] == {
        "type": "plain_text_input",
        "value": "Bumper drafts leaked",
    }
    assert view["state"]["values"]["severity"]["pick"] == {"type": "x"}
    assert seen.closed[0]["view"]["callback_id"] == "report"


def test_an_event_redelivery_carries_slacks_retry_headers(
    requester: SlackRequester, seen: Seen
) -> None:
    event = {"type": "app_mention", "user": SEC, "text": "<@U0LEAKBOT1> help", "ts": "1.000001"}

    first = requester.event(event, event_id="Ev0001")
    again = requester.event(event, event_id="Ev0001", retry_num=1)

    assert first.status == 200 and again.status == 200
    assert [retry for _, retry in seen.events] == [None, "1"]


def test_url_verification_echoes_the_challenge(requester: SlackRequester) -> None:
    reply = requester.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")

    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_twenty_threads_can_share_one_requester(
    requester: SlackRequester, standin: SlackStandIn, seen: Seen
) -> None:
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(lambda n: requester.slash_command(SEC, f"status {n}"), range(40)))

    assert {r.status for r in replies} == {200}
    assert sorted(c["text"] for c in seen.commands) == sorted(f"status {n}" for n in range(40))
    assert len(standin.open_views) == 40
    standin.assert_clean()
