"""Only requests signed with the signing secret, within five minutes, reach leakbot
(CONTRACT §2); the health check tells whether the database answers."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
import waitress
from sqlalchemy import create_engine

from leakbot.demo.story import REPORTER, SECURITY
from leakbot.demo.world import SIGNING_SECRET, close_server, fill
from leakbot.devslack import Reply, sign
from leakbot.slack.http import make_wsgi_app
from leakbot.slack.ids import Action, View
from leakbot.store.db import ping

if TYPE_CHECKING:
    from conftest import Desk


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type", "")


def _forged_requests(desk: Desk, **how: bool) -> list[Callable[[], Reply]]:
    """Every kind of request Slack sends, signed wrongly (``how``)."""
    slack = desk.world.slack
    view = {
        "type": "modal",
        "callback_id": View.REPORT.value,
        "blocks": [
            {
                "type": "input",
                "block_id": k,
                "element": {"type": "plain_text_input", "action_id": k},
            }
            for k in desk.REPORT
        ],
    }
    values = fill(view, desk.REPORT)
    return [
        lambda: slack.slash_command(REPORTER, "", **how),
        lambda: slack.slash_command(REPORTER, "list", **how),
        lambda: slack.view_submission(
            REPORTER, View.REPORT.value, values, view_id="V0FORGED01", **how
        ),
        lambda: slack.block_action(SECURITY, Action.COMPLETE_STEP.value, "1:confirm", **how),
        lambda: slack.event({"type": "app_home_opened", "user": SECURITY, "tab": "home"}, **how),
        lambda: slack.url_verification("forged-challenge", **how),
    ]


@pytest.mark.parametrize(
    "how", [{"bad_signature": True}, {"stale": True}], ids=["badly signed", "stale"]
)
def test_a_badly_signed_or_stale_request_gets_401_and_changes_nothing(
    desk: Desk, how: dict[str, bool]
) -> None:
    incidents, calls = desk.incident_count(), len(desk.standin.calls)
    for send in _forged_requests(desk, **how):
        reply = send()
        assert reply.status == 401, reply.text
        assert b"forged-challenge" not in reply.body
    desk.world.settle()
    assert desk.incident_count() == incidents
    assert len(desk.standin.calls) == calls


def test_an_unsigned_request_gets_401_and_changes_nothing(desk: Desk) -> None:
    incidents, calls = desk.incident_count(), len(desk.standin.calls)
    body = b"command=%2Fleak&text=list&user_id=U0REP00001&trigger_id=1.2.3"
    request = urllib.request.Request(
        desk.world.url + "/slack/events",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    desk.world.settle()
    assert desk.incident_count() == incidents
    assert len(desk.standin.calls) == calls


def test_a_request_signed_four_minutes_ago_is_still_answered(desk: Desk) -> None:
    body = urlencode(
        {
            "command": "/leak",
            "text": "help",
            "user_id": REPORTER,
            "team_id": "T0LEAKBOT1",
            "channel_id": "C0GENERAL01",
            "trigger_id": "1.2.3",
            "response_url": desk.standin.new_response_url(REPORTER),
        }
    ).encode()
    timestamp = int(time.time()) - 4 * 60
    request = urllib.request.Request(
        desk.world.url + "/slack/events",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": sign(SIGNING_SECRET, timestamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.status == 200
        assert "/leak report" in json.loads(resp.read())["blocks"][0]["text"]["text"]


def test_url_verification_answers_the_challenge(desk: Desk) -> None:
    reply = desk.world.slack.url_verification(
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    )
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_healthz_is_200_with_json_when_the_database_answers(desk: Desk) -> None:
    status, body, content_type = _get(desk.world.url + "/healthz")
    assert status == 200
    assert content_type.startswith("application/json")
    assert json.loads(body)["database"] is True


def test_healthz_is_503_when_the_database_does_not_answer(desk: Desk) -> None:
    """The same Bolt app behind a WSGI app whose database ping fails."""

    def ping_fails() -> bool:

        gone = create_engine("sqlite:////nonexistent-folder/leakbot.db")
        try:
            return ping(gone)
        finally:
            gone.dispose()

    wsgi = make_wsgi_app(desk.world.parts.app, ping_fails, signing_secret=SIGNING_SECRET)
    server = waitress.create_server(wsgi, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        status, body, content_type = _get(f"http://127.0.0.1:{server.effective_port}/healthz")
    finally:
        close_server(server, thread)
    assert status == 503
    assert content_type.startswith("application/json")
    assert json.loads(body)["database"] is False


def test_an_unknown_path_is_404(desk: Desk) -> None:
    status, _, _ = _get(desk.world.url + "/slack/other")
    assert status == 404
