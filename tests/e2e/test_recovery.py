"""`leakbot serve` as a real process: killed mid-work, or with Slack down, it finishes the job
after a restart or once Slack is back — with no duplicate channel, checklist or invite."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from leakbot.demo.world import GROUPS, PEOPLE, fill
from leakbot.devslack import SlackRequester, SlackStandIn
from leakbot.loading.paths import bundled_example_config
from leakbot.slack.ids import ReportField, View

SECRET = "recovery-signing-secret"
#: How long Slack stays down in the outage tests (set it to 60 for the one-minute check).
OUTAGE_SECONDS = float(os.environ.get("LEAKBOT_TEST_OUTAGE_SECONDS", "8"))
REPORTER = "U0REP00001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Serve:
    """One ``leakbot serve`` process pointed at the stand-in."""

    def __init__(self, standin: SlackStandIn, db_url: str, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_"))}
        env.update(
            SLACK_BOT_TOKEN=standin.token,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=standin.api_url,
            DATABASE_URL=db_url,
            LEAKBOT_CONFIG=str(bundled_example_config()),
            LEAKBOT_OUTBOX_LEASE="5",
        )
        self.env, self.tmp = env, tmp
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Serve:
        log = open(self.tmp / f"serve-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "leakbot",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=self.env,
            cwd=self.tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self.healthy, 60, "leakbot serve to answer /healthz")
        return self

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    s = SlackStandIn(users=PEOPLE, usergroups=GROUPS).start()
    s.add_channel("leak-announcements", channel_id="C0ANNOUNCE1")
    yield s
    s.stop()


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
