"""The stand-in's Socket Mode, spoken to by a plain WebSocket client and a real WebClient: what
Slack's Socket Mode guide says an app sees and must send, and what the stand-in refuses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from leakbot.devslack import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def open_url(standin: SlackStandIn, token: str | None = None) -> str:
    client = WebClient(base_url=standin.api_url, token=standin.token, timeout=5)
    return str(client.apps_connections_open(app_token=token or standin.app_token)["url"])


def next_message(ws: ClientConnection) -> dict[str, Any]:
    return dict(json.loads(ws.recv(timeout=5)))


def test_apps_connections_open_takes_only_the_app_level_token(standin: SlackStandIn) -> None:
    client = WebClient(base_url=standin.api_url, token=standin.token, timeout=5)

    url = open_url(standin)
    with pytest.raises(SlackApiError) as bot:
        client.apps_connections_open(app_token=standin.token)
    with pytest.raises(SlackApiError) as wrong:
        client.apps_connections_open(app_token="xapp-1-A0OTHER-1-nope")
    with pytest.raises(SlackApiError) as backwards:
        WebClient(base_url=standin.api_url, token=standin.app_token).chat_postMessage(
            channel="C1", text="hi"
        )

    assert url.startswith(f"ws://127.0.0.1:{standin.socket_mode.port}/link/?ticket=")
    assert bot.value.response["error"] == "not_allowed_token_type"
    assert wrong.value.response["error"] == "invalid_auth"
    assert backwards.value.response["error"] == "not_allowed_token_type"
    assert [c.ok for c in standin.calls_to("apps.connections.open")] == [True, False, False]
    standin.assert_clean()


def test_a_connection_is_greeted_with_hello_and_a_ticket_serves_once(
    standin: SlackStandIn,
) -> None:
    url = open_url(standin)
    with connect(url) as ws:
        hello = next_message(ws)
        with pytest.raises(InvalidStatus) as again:
            connect(url)

    assert hello["type"] == "hello"
    assert hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": standin.workspace.app_id}
    assert hello["debug_info"]["approximate_connection_time"] > 0
    assert again.value.response.status_code == 401


def test_each_kind_of_envelope_carries_slacks_fields_and_the_ack_comes_back(
    standin: SlackStandIn,
) -> None:
    endpoint = standin.socket_mode
    seen: list[dict[str, Any]] = []
    with connect(open_url(standin)) as ws:
        next_message(ws)

        def app() -> None:
            for _ in range(3):
                envelope = next_message(ws)
                seen.append(envelope)
                ack: dict[str, Any] = {"envelope_id": envelope["envelope_id"]}
                if envelope["type"] == "slash_commands":
                    ack["payload"] = {"text": "answer"}
                ws.send(json.dumps(ack))

        runner = threading.Thread(target=app)
        runner.start()
        command = endpoint.deliver(
            "slash_commands", {"command": "/leak"}, accepts_response_payload=True
        )
        click = endpoint.deliver(
            "interactive", {"type": "block_actions"}, accepts_response_payload=True
        )
        event = endpoint.deliver(
            "events_api",
            {"type": "event_callback"},
            accepts_response_payload=False,
            retry_attempt=1,
            retry_reason="timeout",
        )
        runner.join(5)

    assert [e["type"] for e in seen] == ["slash_commands", "interactive", "events_api"]
    assert all({"envelope_id", "payload", "accepts_response_payload"} <= set(e) for e in seen)
    assert (seen[2]["retry_attempt"], seen[2]["retry_reason"]) == (1, "timeout")
    assert "retry_attempt" not in seen[0]
    assert command.ack is not None and command.ack.payload == {"text": "answer"}
    assert click.ack is not None and click.ack.payload is None
    assert event.ack is not None
    assert endpoint.unacknowledged == [] and endpoint.violations == []


def test_an_unknown_ack_a_second_ack_and_a_stray_message_are_violations(
    standin: SlackStandIn,
) -> None:
    endpoint = standin.socket_mode
    with connect(open_url(standin)) as ws:
        next_message(ws)

        def app() -> None:
            envelope = next_message(ws)
            ws.send(json.dumps({"envelope_id": envelope["envelope_id"]}))
            ws.send(json.dumps({"envelope_id": envelope["envelope_id"]}))
            ws.send(json.dumps({"envelope_id": "no-such-envelope"}))
            ws.send("not json")
            ws.send(json.dumps({"type": "chatter"}))

        runner = threading.Thread(target=app)
        runner.start()
        endpoint.deliver("interactive", {"type": "block_actions"}, accepts_response_payload=True)
        runner.join(5)
        ws.ping().wait(5)  # the endpoint has read everything sent before this ping

    found = standin.violations
    assert len(found) == 4, found
    assert any("acknowledged twice" in v for v in found)
    assert any("unknown envelope no-such-envelope" in v for v in found)
    assert any("not JSON" in v for v in found)
    assert any("no envelope_id" in v for v in found)


def test_pings_are_answered_and_the_endpoint_pings_the_app(standin: SlackStandIn) -> None:
    standin.socket_mode.ping_interval = 0.2  # for connections opened from now on
    standin.socket_mode.stop()
    standin.socket_mode.start()
    pinged = threading.Event()
    with connect(open_url(standin)) as ws:
        next_message(ws)
        pong = ws.ping(b"are you there")
        assert pong.wait(5)
        original = ws.protocol.receive_data

        def watch(data: bytes) -> None:
            if data[:1] and data[0] & 0x0F == 0x9:  # a ping frame from the endpoint
                pinged.set()
            original(data)

        ws.protocol.receive_data = watch  # type: ignore[method-assign]
        assert pinged.wait(5)


def test_disconnect_asks_for_a_new_connection_and_closes_the_old_one(
    standin: SlackStandIn,
) -> None:
    endpoint = standin.socket_mode
    with connect(open_url(standin)) as first:
        next_message(first)
        done = threading.Thread(target=endpoint.disconnect, kwargs={"reason": "refresh_requested"})
        done.start()
        told = next_message(first)
        assert told["type"] == "disconnect" and told["reason"] == "refresh_requested"
        with connect(open_url(standin)) as second:
            hello = next_message(second)
            done.join(5)
            assert not done.is_alive()
            first.recv_events_thread.join(5)
            assert first.close_code is not None

            def app() -> None:
                envelope = next_message(second)
                second.send(json.dumps({"envelope_id": envelope["envelope_id"]}))

            runner = threading.Thread(target=app)
            runner.start()
            sent = endpoint.deliver(
                "interactive", {"type": "block_actions"}, accepts_response_payload=True
            )
            runner.join(5)

    assert hello["type"] == "hello"
    assert [link.number for link in endpoint.links] == [1, 2]
    assert sent.link == 2 and sent.ack is not None
    assert len(standin.calls_to("apps.connections.open")) == 2


def test_an_ack_payload_that_breaks_block_kit_is_recorded_as_a_violation(
    standin: SlackStandIn,
) -> None:
    """The stand-in reads each ack's payload as Slack reads it: a slash command's answer as a
    message, a view submission's ``response_action``."""
    endpoint = standin.socket_mode
    button = {"type": "button", "action_id": "same", "text": {"type": "plain_text", "text": "x"}}
    answers = {
        "slash_commands": {"blocks": [{"type": "actions", "elements": [button, button]}]},
        "interactive": {"response_action": "explode"},
    }
    with connect(open_url(standin)) as ws:
        next_message(ws)

        def app() -> None:
            for _ in range(2):
                envelope = next_message(ws)
                payload = answers[envelope["type"]]
                ws.send(json.dumps({"envelope_id": envelope["envelope_id"], "payload": payload}))

        runner = threading.Thread(target=app)
        runner.start()
        endpoint.deliver("slash_commands", {"command": "/leak"}, accepts_response_payload=True)
        endpoint.deliver("interactive", {"type": "view_submission"}, accepts_response_payload=True)
        runner.join(5)

    found = standin.blockkit_violations
    assert len(found) == 2, found
    assert found[0].startswith("acknowledgement of slash_commands:") and "action_id" in found[0]
    assert found[1].startswith("acknowledgement of view_submission:")
    assert "response_action" in found[1]
    assert set(found) <= set(standin.violations)
