"""When Slack's Web API fails: what can never work is given up and the commander told; what is
busy or down is retried from the outbox until it is done, exactly once.

Retry times are kept in the database and read from the world's clock, so these tests move the
clock instead of sleeping.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import pytest
from sqlalchemy import select

from leakbot.demo.story import COMMS, LEGAL, PROCUREMENT, REPORTER, SECURITY
from leakbot.services.owed_work import Effect
from leakbot.slack.ids import Action
from leakbot.store.models import OutboxRecord
from leakbot.store.outbox_items import DONE, FAILED, PENDING

if TYPE_CHECKING:
    from conftest import Desk

    from tests.conftest import MovableClock  # noqa: F401


def _items(desk: Desk, kind: Effect) -> list[OutboxRecord]:
    with desk.world.deps.uow() as uow:
        session = uow.session
        stmt = select(OutboxRecord).where(OutboxRecord.kind == kind.value)
        rows = list(session.scalars(stmt.order_by(OutboxRecord.id)))
        session.expunge_all()
        return rows


def _later(desk: Desk, clock: MovableClock, seconds: float = 700) -> None:
    """Move past any backoff and perform what is due, as the worker would then."""
    clock.advance(seconds=seconds)
    desk.world.parts.worker.drain()
    desk.world.settle(timeout=10)


def test_a_checklist_whose_channel_is_gone_is_given_up_and_the_commander_told(
    make_desk: Callable[..., Desk], clock: MovableClock
) -> None:
    desk = make_desk(clock=clock)
    number = desk.report()
    channel, ts = desk.world.checklist(number)
    desk.standin.fail("chat.update", "channel_not_found", status=200, retry_after=None)
    desk.complete(SECURITY, number, "confirm", {"verdict": "confirmed"})
    refresh = _items(desk, Effect.REFRESH_CHECKLIST)[-1]
    assert refresh.status == FAILED
    assert refresh.attempts == 1
    assert "no longer exists" in (refresh.last_error or "")
    told = desk.wait_for(
        lambda: [m.text for m in desk.standin.dms(REPORTER) if f"LEAK-{number}" in m.text],
        what="the commander's DM",
    )
    assert "no longer exists" in told[0]
    tries = len(desk.calls("chat.update", channel=channel, ts=ts))
    _later(desk, clock)
    assert len(desk.calls("chat.update", channel=channel, ts=ts)) == tries == 1
    assert _items(desk, Effect.REFRESH_CHECKLIST)[-1].status == FAILED
    assert all(i.status == DONE for i in _items(desk, Effect.TELL_COMMANDER))


def test_a_429_with_retry_after_then_success_is_delivered_once(desk_429: Desk) -> None:
    desk = desk_429
    number = desk.report()
    channel, ts = desk.world.checklist(number)
    desk.standin.fail("chat.update", "ratelimited", status=429, retry_after=1)
    desk.complete(SECURITY, number, "confirm", {"verdict": "confirmed"})
    calls = desk.calls("chat.update", channel=channel, ts=ts)
    assert [c.status for c in calls] == [429, 200]
    message = desk.standin.workspace.channels[channel].message(ts)
    assert message is not None and message.edits == 1
    assert _items(desk, Effect.REFRESH_CHECKLIST)[-1].status == DONE
    assert len([t for t in desk.thread(number) if "Confirm the leak" in t]) == 1


@pytest.fixture
def desk_429(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()


def test_rate_limits_longer_than_the_client_waits_are_retried_from_the_outbox(
    make_desk: Callable[..., Desk], clock: MovableClock
) -> None:
    desk = make_desk(clock=clock)
    number = desk.report()
    channel, ts = desk.world.checklist(number)
    desk.standin.fail("chat.update", "ratelimited", status=429, retry_after=1, times=3)
    desk.click(SECURITY, Action.COMPLETE_STEP, number, "confirm")
    view = desk.world.modal_for(SECURITY, "step_inputs")
    desk.world.submit(SECURITY, view, {"verdict": "confirmed"})
    refresh = desk.wait_for(
        lambda: [
            i
            for i in _items(desk, Effect.REFRESH_CHECKLIST)
            if i.attempts >= 1 and i.status == PENDING and i.last_error
        ],
        timeout=15,
        what="a scheduled retry",
    )[-1]
    assert refresh.next_attempt_at.replace(tzinfo=clock.at.tzinfo) > clock.at
    _later(desk, clock, 30)
    calls = desk.calls("chat.update", channel=channel, ts=ts)
    assert [c.status for c in calls] == [429, 429, 429, 200]
    assert _items(desk, Effect.REFRESH_CHECKLIST)[-1].status == DONE
    message = desk.standin.workspace.channels[channel].message(ts)
    assert message is not None and message.edits == 1


@pytest.mark.parametrize("mode", ["unavailable", "refuse"])
def test_slack_down_during_a_report_records_the_incident_and_the_channel_follows_once(
    make_desk: Callable[..., Desk],
    clock: MovableClock,
    mode: Literal["unavailable", "refuse"],
) -> None:
    desk = make_desk(clock=clock)
    desk.world.slash(LEGAL, "list")  # nothing cached on purpose: group lookups wait for Slack
    view = desk.open_report()
    desk.standin.go_down(mode)
    reply = desk.world.submit(REPORTER, view, desk.REPORT)
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"])
    assert "LEAK-1" in shown and "follows as soon as Slack answers" in shown
    assert desk.incident_count() == 1
    opening = desk.wait_for(
        lambda: [
            i
            for i in _items(desk, Effect.OPEN_INCIDENT)
            if i.attempts >= 1 and i.status == PENDING and i.last_error
        ],
        timeout=20,
        what="the first failed attempt",
    )[0]
    assert "Slack" in (opening.last_error or "")
    desk.standin.come_back()
    _later(desk, clock)
    assert _items(desk, Effect.OPEN_INCIDENT)[0].status == DONE
    created = [c for c in desk.calls("conversations.create") if c.ok]
    assert len(created) == 1
    channel, ts = desk.world.checklist(1)
    room = desk.standin.workspace.channels[channel]
    assert room.is_private and room.name.startswith("leak-1-")
    assert {REPORTER, SECURITY, LEGAL, "U0LEG00002", PROCUREMENT, COMMS} <= set(room.members)
    top_level = [m for m in room.messages if m.thread_ts is None]
    assert len(top_level) == 2 and top_level[1].ts == ts
    assert room.pins == [ts]
    assert len(desk.standin.messages("C0ANNOUNCE1")) == 1
    _later(desk, clock)
    time.sleep(0.2)
    assert len([c for c in desk.calls("conversations.create") if c.ok]) == 1
    assert len(desk.standin.workspace.channels[channel].messages) == 2
    desk.standin.assert_clean()
