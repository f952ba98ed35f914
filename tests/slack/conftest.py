"""A whole leakbot per test module: the stand-in of Slack, the real server, signed HTTP.

Tests act as people (``/leak``, clicks, modal submissions) through ``Desk`` and assert on what
the stand-in received or what the database holds. Test modules import no helpers from here
(two conftest modules share one name); they get a ``Desk`` from a fixture and people's ids
from ``leakbot.demo.story``. Tests that do not disturb each other share
one module-wide world on SQLite (each reports its own incident); race and outage tests build
their own with ``make_desk`` on every backend ``db_url`` offers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pytest

from leakbot.demo.story import REPORTER, SECURITY
from leakbot.demo.world import LocalWorld
from leakbot.devslack import Reply
from leakbot.domain.clock import Clock
from leakbot.domain.incident import Incident
from leakbot.slack.ids import Action, ReportField, View

#: A report as a person would fill it in; tests override single fields.
REPORT: dict[str, str] = {
    ReportField.TITLE.value: "MS11 bumper drafts posted on a forum",
    ReportField.ASSET.value: "MS11 bumper design drafts",
    ReportField.WHERE_SEEN.value: "https://forum.example/t/ms11",
    ReportField.SUPPLIER.value: "bjmold",
    ReportField.SEVERITY.value: "high",
    ReportField.DESCRIPTION.value: "Drafts shared with the molding supplier under NDA.",
}


def wait_for(predicate: Callable[[], Any], timeout: float = 8.0, what: str = "it") -> Any:
    """Poll until ``predicate`` returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class Desk:
    """A running LocalWorld and the moves people make in it."""

    REPORT = REPORT

    def __init__(self, world: LocalWorld) -> None:
        self.world = world
        self.standin = world.standin

    # --- reporting -----------------------------------------------------------------------
    def open_report(self, user: str = REPORTER) -> dict[str, Any]:
        reply = self.world.slash(user, "")
        assert reply.status == 200, reply.text
        return self.world.modal_for(user, View.REPORT.value)

    def submit_report(self, user: str = REPORTER, **fields: str) -> Reply:
        view = self.open_report(user)
        return self.world.submit(user, view, {**REPORT, **fields})

    def report(self, user: str = REPORTER, settle: bool = True, **fields: str) -> int:
        """Report a leak and return its number (the channel is open once settled)."""
        reply = self.submit_report(user, **fields)
        assert reply.status == 200, reply.text
        assert reply.json()["response_action"] == "update", reply.text
        number = self.newest().number
        if settle:
            self.world.settle()
        return number

    # --- reading the database ------------------------------------------------------------
    def newest(self) -> Incident:
        with self.world.deps.uow() as uow:
            return max(uow.incidents.list_open(), key=lambda i: i.number)

    def incident(self, number: int) -> Incident:
        with self.world.deps.uow() as uow:
            return uow.incidents.get(number)

    def incident_count(self) -> int:
        with self.world.deps.uow() as uow:
            return uow.incidents.next_number() - 1

    def audit_count(self, number: int) -> int:
        with self.world.deps.uow() as uow:
            return len(uow.audit.entries(uow.incidents.get(number).id))

    @staticmethod
    def wait_for(predicate: Callable[[], Any], timeout: float = 8.0, what: str = "it") -> Any:
        return wait_for(predicate, timeout, what)

    # --- clicks and modals ---------------------------------------------------------------
    def click(self, user: str, action: Action, number: int, step_id: str) -> Reply:
        channel, ts = self.world.checklist(number)
        value = f"{number}:{step_id}"
        reply = self.world.click(user, action.value, value, channel=channel, message_ts=ts)
        assert reply.status == 200, reply.text
        return reply

    def complete(
        self, user: str, number: int, step_id: str, answers: Mapping[str, Any] | None = None
    ) -> None:
        """Click Complete and, when the step asks, fill its modal; then let Slack work finish."""
        self.click(user, Action.COMPLETE_STEP, number, step_id)
        if self.incident(number).playbook.step(step_id).inputs:
            view = self.world.modal_for(user, View.STEP_INPUTS.value)
            reply = self.world.submit(user, view, answers or {})
            assert reply.status == 200 and b'"errors"' not in reply.body, reply.text
        self.world.settle()

    def confirm(self, number: int) -> None:
        self.complete(SECURITY, number, "confirm", {"verdict": "confirmed"})

    # --- what people saw -----------------------------------------------------------------
    def private_texts(self, user: str) -> list[str]:
        """What only ``user`` was shown: response_url posts and ephemeral messages."""
        return [e.text for e in self.standin.ephemerals(user)]

    def told(self, user: str, since: int, timeout: float = 5.0) -> str:
        """The first private message ``user`` got after the first ``since`` ones."""
        texts = wait_for(lambda: self.private_texts(user)[since:], timeout, f"a message to {user}")
        return str(texts[0])

    def thread(self, number: int) -> list[str]:
        channel, ts = self.world.checklist(number)
        return [m.text for m in self.standin.messages(channel) if m.thread_ts == ts]

    def calls(self, method: str, **where: Any) -> list[Any]:
        return [
            c
            for c in self.standin.calls_to(method)
            if all(c.args.get(k) == v for k, v in where.items())
        ]


def start_world(
    url: str,
    clock: Clock | None = None,
    config_path: Path | None = None,
    transport: Literal["http", "socket"] = "http",
) -> LocalWorld:
    return LocalWorld(url, clock=clock, config_path=config_path, transport=transport).start()


def stop_world(world: LocalWorld) -> None:
    """Stop ``world``; fail if anything it sent to Slack broke a Block Kit rule (every
    message, view, response_url post and acknowledgement is checked by the stand-in)."""
    found = world.standin.blockkit_violations
    world.stop()
    assert found == [], "Block Kit rules broken:\n" + "\n".join(found)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """One world for the whole module, on SQLite."""
    path: Path = tmp_path_factory.mktemp("slack") / "leakbot.db"
    world = start_world(f"sqlite:///{path}")
    try:
        yield Desk(world)
    finally:
        stop_world(world)


@pytest.fixture(scope="module")
def socket_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """One world for the whole module, on SQLite, reached over Socket Mode: people's requests
    are envelopes on the stand-in's WebSocket, Bolt's Socket Mode adapter acknowledges them."""
    path: Path = tmp_path_factory.mktemp("socket") / "leakbot.db"
    world = start_world(f"sqlite:///{path}", transport="socket")
    try:
        yield Desk(world)
    finally:
        stop_world(world)


@pytest.fixture
def own_desk(tmp_path: Path) -> Iterator[Desk]:
    """A fresh world of one's own on SQLite: nothing cached, nothing reported yet."""
    world = start_world(f"sqlite:///{tmp_path / 'leakbot.db'}")
    try:
        yield Desk(world)
    finally:
        stop_world(world)


@pytest.fixture
def make_desk(db_url: str) -> Iterator[Callable[..., Desk]]:
    """A world of one's own on ``db_url`` (SQLite, and PostgreSQL when configured)."""
    worlds: list[LocalWorld] = []

    def make(clock: Clock | None = None, config_path: Path | None = None) -> Desk:
        world = start_world(db_url, clock, config_path)
        worlds.append(world)
        return Desk(world)

    try:
        yield make
    finally:
        found = [v for world in worlds for v in world.standin.blockkit_violations]
        for world in worlds:
            world.stop()
        assert found == [], "Block Kit rules broken:\n" + "\n".join(found)
