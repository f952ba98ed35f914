"""``leakbot socket`` as an operator runs it — a real process, configured only by its
environment — against the stand-in of Slack: the seed story from report to Word files, with
Slack refreshing the connection in the middle, ends as it does over HTTP; the process logs
nothing confidential and stops cleanly on SIGTERM."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from leakbot import bootstrap
from leakbot.demo.story import LEGAL, Story
from leakbot.demo.world import ANNOUNCE, GROUPS, PEOPLE, LocalWorld
from leakbot.devslack import SlackStandIn, StoredFile
from leakbot.devslack.envelopes import SocketModeRequester
from leakbot.loading.paths import bundled_example_config
from leakbot.settings import Settings

#: What the process's log must never carry: the report's title, supplier, asset and addresses.
CONFIDENTIAL = ("MS11", "bumper", "Beijing", "bjmold", "Molding", "weibo", "forum.example")


class ProcessWorld(LocalWorld):
    """The story's world with the bot in a ``leakbot socket`` process of its own: people act
    through Socket Mode envelopes, and the database is read from here."""

    def start(self) -> ProcessWorld:
        self.standin = SlackStandIn(users=PEOPLE, usergroups=GROUPS).start()
        self.standin.add_channel(ANNOUNCE[0], channel_id=ANNOUNCE[1])
        env = {
            "SLACK_BOT_TOKEN": self.standin.token,
            "SLACK_APP_TOKEN": self.standin.app_token,
            "SLACK_API_URL": self.standin.api_url,
            "DATABASE_URL": self.database_url,
            "LEAKBOT_CONFIG": str(bundled_example_config()),
            "LEAKBOT_TIMEZONE": self.timezone,
        }
        self.settings = Settings.from_env(env)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_"))}
        assert self.config_path is not None  # here: the folder for the process's log
        self.log = self.config_path / "leakbot-socket.log"
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leakbot", "socket", "--no-scheduler"],
            cwd=self.config_path,
            env={**base, **env},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self.standin.socket_mode.wait_for_links(1, timeout=90)
        self.setup = bootstrap.load_setup(self.settings)
        self.engine = bootstrap.open_database(self.database_url)
        self.deps = bootstrap.build_deps(self.setup, self.engine)
        self.slack = SocketModeRequester(self.standin)
        return self

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log_file.close()
        self.standin.stop()
        self.engine.dispose()

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until the bot owes Slack nothing and has gone quiet: every envelope
        acknowledged, nothing pending in the outbox, no Web API call for half a second."""
        deadline = time.monotonic() + timeout
        last: tuple[int, int] | None = None
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            with self.deps.uow() as uow:
                pending = uow.outbox.pending_count()
            now = (len(self.standin.calls), len(self.standin.socket_mode.envelopes))
            busy = pending or self.standin.socket_mode.unacknowledged
            if busy or now != last:
                last, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since >= 0.5:
                return
            time.sleep(0.05)
        raise TimeoutError("Slack work still pending")


def test_leakbot_socket_runs_the_story_through_a_connection_refresh(tmp_path: Path) -> None:
    world = ProcessWorld(f"sqlite:///{tmp_path / 'leakbot.db'}", config_path=tmp_path)
    world.start()
    try:
        endpoint = world.standin.socket_mode

        def refresh(scene: int) -> None:
            if scene == 3:
                endpoint.disconnect("refresh_requested", timeout=30)

        result = Story(world, io.StringIO(), before_scene=refresh).run()

        def both_files() -> list[StoredFile] | None:
            found = [f for f in world.standin.files_for(LEGAL) if f.completed]
            return found if len(found) == 2 else None

        files = _wait(both_files)
    finally:
        world.stop()
    log = world.log.read_text("utf-8", "replace")

    assert world.process.returncode == 0, log[-3000:]
    assert result.final_status == "closed" and result.audit_problems == []
    assert result.violations == [], result.violations
    assert sorted(f.name for f in files) == [
        f"LEAK-{result.number}-breach_notice-en-v1.docx",
        f"LEAK-{result.number}-penalty_demand-zh-v1.docx",
    ]
    assert all(f.content and f.content[:2] == b"PK" for f in files)  # Word files are zips
    assert result.refusals and all(result.refusals)
    assert [link.number for link in endpoint.links] == [1, 2]
    assert len([c for c in world.standin.calls_to("apps.connections.open") if c.ok]) == 2
    assert all(len(e.acks) == 1 for e in endpoint.envelopes)
    assert len([c for c in world.standin.calls_to("conversations.create") if c.ok]) == 1
    assert "Traceback" not in log
    for word in CONFIDENTIAL:
        assert word.lower() not in log.lower(), word


def _wait(found: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")
