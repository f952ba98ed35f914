"""`leakbot serve` as a real process: killed mid-work, or with Slack down, it finishes the job
after a restart or once Slack is back — with no duplicate channel, checklist or invite."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from serving import SECRET, Serve, wait_for

from leakbot.demo.world import fill
from leakbot.devslack import SlackRequester, SlackStandIn
from leakbot.slack.ids import ReportField, View

#: How long Slack stays down in the outage tests (set it to 60 for the one-minute check).
OUTAGE_SECONDS = float(os.environ.get("LEAKBOT_TEST_OUTAGE_SECONDS", "8"))
REPORTER = "U0REP00001"


def report(
    standin: SlackStandIn, serve: Serve, before_submit: Callable[[], None] = lambda: None
) -> None:
    """Zhang Wei types /leak and submits the form, as Slack would send it."""
    slack = SlackRequester(serve.url, SECRET, standin=standin)
    assert slack.slash_command(REPORTER, "", channel_id="C0GENERAL01").status == 200

    def modal() -> dict[str, Any] | None:
        views = standin.views_for(REPORTER, View.REPORT.value)
        return views[-1] if views else None

    view = wait_for(modal, 15, "the report modal")
    before_submit()
    values = fill(
        view,
        {
            ReportField.TITLE.value: "MS11 bumper drafts on a forum",
            ReportField.WHERE_SEEN.value: "https://forum.example/t/ms11",
            ReportField.SUPPLIER.value: "bjmold",
        },
    )
    reply = slack.view_submission(
        REPORTER, View.REPORT.value, values, view_id=view["id"], hash=view["hash"], view=view
    )
    assert reply.status == 200
    assert "LEAK-1" in reply.text  # the reporter is told it is recorded, whatever Slack does


def channel_posts(standin: SlackStandIn) -> tuple[list[Any], list[Any]]:
    creates = [c for c in standin.calls_to("conversations.create") if c.ok]
    posts = [c for c in standin.calls_to("chat.postMessage") if c.ok]
    return creates, posts


def settled(standin: SlackStandIn) -> bool:
    """The channel exists with the kickoff and the checklist (pinned) in it."""
    creates, _ = channel_posts(standin)
    if not creates:
        return False
    channel = standin.workspace.channels[creates[-1].response["channel"]["id"]]
    return len(channel.messages) >= 2 and bool(channel.pins) and REPORTER in channel.members


def assert_exactly_once(standin: SlackStandIn) -> None:
    creates, _ = channel_posts(standin)
    assert len(creates) == 1, "a second channel was created"
    channel = standin.workspace.channels[creates[0].response["channel"]["id"]]
    top_level = [m for m in channel.messages if not m.thread_ts]
    assert len(top_level) == 2, [m.text[:40] for m in top_level]  # kickoff + checklist
    assert len(channel.pins) == 1
    announce = standin.messages("C0ANNOUNCE1")
    assert len(announce) == 1
    assert standin.violations == []


def test_a_process_killed_while_opening_an_incident_finishes_after_a_restart(
    standin: SlackStandIn, db_url: str, tmp_path: Path
) -> None:
    standin.latency = 0.6  # slow enough to kill it between Web API calls
    serve = Serve(standin, db_url, tmp_path).start()
    try:
        report(standin, serve)
        wait_for(lambda: channel_posts(standin)[0], 30, "the channel to be created")
        serve.kill()
        assert not settled(standin)  # killed in the middle of opening the incident
        standin.latency = 0.0
        serve.start()
        wait_for(lambda: settled(standin), 60, "the incident to be opened after the restart")
        time.sleep(1.0)  # anything repeated would show up now
        assert_exactly_once(standin)
    finally:
        serve.stop()


@pytest.mark.parametrize("mode", ["refuse", "unavailable"])
def test_slack_down_during_a_report_recovers_on_its_own_with_no_duplicate(
    standin: SlackStandIn, db_url: str, tmp_path: Path, mode: str
) -> None:
    serve = Serve(standin, db_url, tmp_path).start()
    try:
        report(standin, serve, before_submit=lambda: standin.go_down(mode=mode))
        time.sleep(OUTAGE_SECONDS)  # Slack stays down while leakbot keeps trying
        assert not settled(standin)
        standin.come_back()
        wait_for(lambda: settled(standin), 120, "the channel once Slack is back")
        time.sleep(1.0)
        assert_exactly_once(standin)
    finally:
        serve.stop()
