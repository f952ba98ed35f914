"""The database made unreachable under a running ``leakbot serve``: every kind of request gets
a visible "could not do it now, nothing was changed" within 3 seconds, never an empty 500; once
the database is back, the same process works again without a restart.

PostgreSQL: a database this test creates for itself is renamed away (after its connections are
ended) and back. SQLite: the database file (with its WAL) is moved away and back — what an
operator moving, restoring or unmounting it does; leakbot must notice rather than write into
the file it had open, or into a new empty one.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from serving import SECRET, Serve, wait_for
from sqlalchemy import create_engine, text

from leakbot.demo.world import fill
from leakbot.devslack import Reply, SlackRequester, SlackStandIn
from leakbot.slack.ids import Action, ReportField, View
from leakbot.store.db import parse_url, upgrade

REPORTER, SECURITY, LEGAL = "U0REP00001", "U0SEC00001", "U0LEG00001"
WITHIN = 3.0
SAYS = "could not"


@dataclass
class Breakable:
    url: str
    break_it: Callable[[], None]
    mend: Callable[[], None]


def _sqlite(tmp: Path) -> Iterator[Breakable]:
    home, away = tmp / "db", tmp / "away"
    home.mkdir()
    away.mkdir()
    path = home / "leakbot.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    names = [path.name, f"{path.name}-wal", f"{path.name}-shm"]

    def move(src: Path, dst: Path) -> None:
        for name in names:
            if (src / name).exists():
                shutil.move(src / name, dst / name)

    yield Breakable(url, lambda: move(home, away), lambda: move(away, home))


def _postgres() -> Iterator[Breakable]:
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        pytest.skip("TEST_DATABASE_URL is not set")
    base = parse_url(base_url)
    name = f"leakbot_down_{uuid.uuid4().hex[:12]}"
    hidden = f"{name}_away"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")

    def run(sql: str) -> None:
        with admin.connect() as conn:
            conn.execute(text(sql))

    def rename(old: str, new: str) -> None:
        # The server reconnects all the time; end its connections until the rename takes.
        for _ in range(100):
            run(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{old}' AND pid <> pg_backend_pid()"
            )
            try:
                run(f'ALTER DATABASE "{old}" RENAME TO "{new}"')
                return
            except Exception:
                time.sleep(0.05)
        raise AssertionError(f"could not rename {old}")

    run(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield Breakable(url, lambda: rename(name, hidden), lambda: rename(hidden, name))
    finally:
        for db in (name, hidden):
            run(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{db}' AND pid <> pg_backend_pid()"
            )
            run(f'DROP DATABASE IF EXISTS "{db}"')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def breakable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Breakable]:
    if request.param == "sqlite":
        yield from _sqlite(tmp_path)
    else:
        yield from _postgres()


class Person:
    def __init__(self, standin: SlackStandIn, serve: Serve) -> None:
        self.standin = standin
        self.slack = SlackRequester(serve.url, SECRET, standin=standin)

    def modal(self, user: str, callback_id: str) -> dict[str, Any]:
        def newest() -> dict[str, Any] | None:
            views = self.standin.views_for(user, callback_id)
            return views[-1] if views else None

        return dict(wait_for(newest, 15, f"the {callback_id} modal"))

    def submit(self, user: str, view: dict[str, Any], answers: dict[str, Any]) -> Reply:
        return self.slack.view_submission(
            user,
            view["callback_id"],
            fill(view, answers),
            private_metadata=view.get("private_metadata", ""),
            view_id=view["id"],
            hash=view["hash"],
            view=view,
        )

    def click(self, user: str, action: Action, value: str, where: tuple[str, str]) -> str:
        """Click; returns the click's response_url id, where a private answer arrives."""
        url = self.standin.new_response_url(user, where[0])
        reply = self.slack.block_action(
            user, action.value, value, channel_id=where[0], message_ts=where[1], response_url=url
        )
        assert reply.status == 200, reply.text
        return url.rsplit("/", 1)[-1]

    def answered(self, url_id: str) -> str:
        def posted() -> str | None:
            for post in self.standin.workspace.response_posts:
                if post.url_id == url_id:
                    return str(post.body.get("text") or "")
            return None

        return str(wait_for(posted, WITHIN, "the private answer to a click"))


def checklist_of(standin: SlackStandIn) -> tuple[str, str]:
    def found() -> tuple[str, str] | None:
        creates = [c for c in standin.calls_to("conversations.create") if c.ok]
        if not creates:
            return None
        channel = creates[-1].response["channel"]["id"]
        top = [m for m in standin.messages(channel) if not m.thread_ts]
        return (
            (channel, top[1].ts)
            if len(top) >= 2 and standin.workspace.channels[channel].pins
            else None
        )

    return tuple(wait_for(found, 30, "the incident's checklist"))  # type: ignore[return-value]


def report(person: Person, title: str) -> Reply:
    assert person.slack.slash_command(REPORTER, "", channel_id="C0GENERAL01").status == 200
    view = person.modal(REPORTER, View.REPORT.value)
    answers = {
        ReportField.TITLE.value: title,
        ReportField.WHERE_SEEN.value: "https://forum.example/t/ms11",
        ReportField.SUPPLIER.value: "bjmold",
    }
    return person.submit(REPORTER, view, answers)


def timed(send: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = send()
    return result, time.monotonic() - started


def test_every_request_is_told_within_3_seconds_and_the_server_recovers(
    standin: SlackStandIn, breakable: Breakable, tmp_path: Path
) -> None:
    serve = Serve(standin, breakable.url, tmp_path).start()
    person = Person(standin, serve)
    try:
        assert "LEAK-1" in report(person, "MS11 bumper drafts on a forum").text
        where = checklist_of(standin)
        # Forms opened before the outage, submitted during it.
        assert person.slack.slash_command(REPORTER, "").status == 200
        report_view = person.modal(REPORTER, View.REPORT.value)
        person.click(SECURITY, Action.COMPLETE_STEP, "1:confirm", where)
        inputs_view = person.modal(SECURITY, View.STEP_INPUTS.value)

        breakable.break_it()
        seen: dict[str, float] = {}
        for words in (
            "status LEAK-1",
            "list",
            "notices LEAK-1",
            "",
            "close LEAK-1 done",
            f"commander <@{LEGAL}> LEAK-1",
        ):
            reply, took = timed(lambda w=words: person.slack.slash_command(SECURITY, w))
            assert reply.status == 200, (words, reply.status)
            assert SAYS in reply.json()["text"], (words, reply.text)
            seen[f"/leak {words}"] = took
        for name, view, answers, user in (
            ("report", report_view, {ReportField.TITLE.value: "Another leak"}, REPORTER),
            ("step inputs", inputs_view, {"verdict": "confirmed"}, SECURITY),
        ):
            reply, took = timed(lambda v=view, a=answers, u=user: person.submit(u, v, a))
            assert reply.status == 200, (name, reply.status)
            body = reply.json()
            assert body["response_action"] == "errors", (name, body)
            assert SAYS in " ".join(body["errors"].values()), (name, body)
            seen[name] = took
        for name, action, value in (
            ("complete click", Action.COMPLETE_STEP, "1:confirm"),
            ("notices click", Action.SHOW_NOTICES, "1"),
        ):
            started = time.monotonic()
            url_id = person.click(SECURITY, action, value, where)
            assert SAYS in person.answered(url_id), name
            seen[name] = time.monotonic() - started
        assert all(took < WITHIN for took in seen.values()), seen
        assert not serve.healthy()

        breakable.mend()
        # The same process, not restarted: it reads, records and carries out again.
        assert serve.proc is not None and serve.proc.poll() is None
        wait_for(serve.healthy, 10, "/healthz once the database is back")
        reply = person.slack.slash_command(SECURITY, "status LEAK-1")
        assert SAYS not in reply.text and "LEAK-1" in reply.text, reply.text
        opened = len(standin.calls_to("views.open"))
        standin.close_view(inputs_view["id"])  # the person gives up on the old form
        person.click(SECURITY, Action.COMPLETE_STEP, "1:confirm", where)
        wait_for(lambda: len(standin.calls_to("views.open")) > opened, 10, "a modal")
        inputs_view = person.modal(SECURITY, View.STEP_INPUTS.value)
        reply = person.submit(SECURITY, inputs_view, {"verdict": "confirmed"})
        assert reply.status == 200 and b"errors" not in reply.body, reply.text
        wait_for(
            lambda: any("completed" in m.text for m in standin.messages(where[0]) if m.thread_ts),
            15,
            "the completion note",
        )
        assert "LEAK-2" in report(person, "A second leak").text
        assert "Traceback" not in serve.log_text()
    finally:
        serve.stop()
