"""leakbot's calls to Slack on kept-alive connections (``leakbot/slack/connections.py``), with
real slack_sdk clients and real sockets against the stand-in, which keeps connections alive as
Slack does and counts the ones it accepts."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from leakbot.devslack import SlackStandIn
from leakbot.slack.client import make_client
from leakbot.slack.connections import keep_alive

USER = "U0SEC00001"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    keep_alive()
    with SlackStandIn(users=[USER]) as running:
        running.add_channel("general", channel_id="C0GENERAL01")
        yield running


def in_a_new_thread(work: Any) -> Any:
    """``work()`` on a thread of its own: a thread's kept connections are its own, so each test
    starts from none whatever ran before it on pytest's thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def test_a_threads_calls_and_response_url_posts_share_one_connection(
    standin: SlackStandIn,
) -> None:
    client = make_client(standin.token, standin.api_url)
    url = standin.new_response_url(USER, "C0GENERAL01")

    def calls() -> None:
        for n in range(5):
            client.auth_test()
            client.chat_postMessage(channel="C0GENERAL01", text=f"message {n}")
        assert WebhookClient(url).send(text="Only you", response_type="ephemeral").body == "ok"

    in_a_new_thread(calls)

    assert len(standin.calls) == 10 and len(standin.responses) == 1
    assert standin.connections_accepted == 1
    standin.assert_clean()


def test_threads_keep_connections_of_their_own(standin: SlackStandIn) -> None:
    client = make_client(standin.token, standin.api_url)
    ready = threading.Barrier(4)

    def calls(_: int) -> None:
        ready.wait()  # four threads at once: none can take another's connection
        for _ in range(5):
            client.auth_test()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(calls, range(4)))

    assert len(standin.calls) == 20
    assert standin.connections_accepted == 4


def test_a_connection_slack_closed_while_idle_is_replaced_without_an_error(
    standin: SlackStandIn,
) -> None:
    """No retry handler: the second call succeeds because the closed connection is seen as
    closed before it is used, not because a failed call was tried again."""
    client = WebClient(token=standin.token, base_url=standin.api_url, timeout=5)
    client.retry_handlers = []

    def calls() -> None:
        client.auth_test()
        standin.drop_connections()
        assert client.auth_test()["ok"] is True

    in_a_new_thread(calls)

    assert standin.connections_accepted == 2


def test_an_answer_left_half_read_is_not_followed_by_the_next_on_its_connection(
    standin: SlackStandIn,
) -> None:
    client = make_client(standin.token, standin.api_url)

    def calls() -> dict[str, Any]:
        request = urllib.request.Request(
            f"{standin.api_url}auth.test",
            data=b"",
            headers={"Authorization": f"Bearer {standin.token}"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.read(5) == b'{"ok"'  # and the rest is left unread
        return dict(client.auth_test().data)  # type: ignore[arg-type]

    assert in_a_new_thread(calls)["ok"] is True
    assert standin.connections_accepted == 2


def test_a_rate_limited_call_is_waited_out_and_tried_again_on_the_same_connection(
    standin: SlackStandIn,
) -> None:
    client = make_client(standin.token, standin.api_url)
    standin.fail("auth.test", retry_after=0)

    answer = in_a_new_thread(client.auth_test)

    assert answer["ok"] is True
    assert [c.status for c in standin.calls] == [429, 200]
    assert standin.connections_accepted == 1


def test_while_slack_refuses_connections_calls_fail_and_then_recover(
    standin: SlackStandIn,
) -> None:
    client = make_client(standin.token, standin.api_url, retries=0)

    def calls() -> list[str]:
        seen = [str(client.auth_test()["ok"])]
        standin.go_down("refuse")
        try:
            client.auth_test()
            seen.append("answered")
        except OSError as e:  # urllib's URLError: the kept connection was not used
            seen.append(type(e).__name__)
        standin.come_back()
        seen.append(str(client.auth_test()["ok"]))
        return seen

    assert in_a_new_thread(calls) == ["True", "URLError", "True"]


class _OneShot(BaseHTTPRequestHandler):
    """A server that closes every connection after its answer (HTTP/1.0)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.accepted += 1  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def test_a_server_that_closes_each_connection_gets_a_new_one_for_each_call() -> None:
    keep_alive()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OneShot)
    server.accepted = 0  # type: ignore[attr-defined]
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        client = WebClient(token="xoxb-x", base_url=f"http://127.0.0.1:{server.server_port}/")

        answers = in_a_new_thread(lambda: [client.api_call("auth.test")["ok"] for _ in range(3)])

        assert answers == [True, True, True]
        assert server.accepted == 3  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
