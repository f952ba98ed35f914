"""Clicks on the checklist: who may, what they are told when they may not, modals for inputs
and reasons, and the checklist updated in place with a line in its thread (CONTRACT §5)."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest

from leakbot.demo.story import COMMS, LEGAL, PROCUREMENT, REPORTER, SECURITY
from leakbot.domain.incident import IncidentStatus, StepStatus
from leakbot.slack.ids import INPUT_PREFIX, REASON_FIELD, Action, View

if TYPE_CHECKING:
    from conftest import Desk


def _updates(desk: Desk, number: int) -> int:
    channel, ts = desk.world.checklist(number)
    return len(desk.calls("chat.update", channel=channel, ts=ts))


def _element(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        b["element"]
        for b in view["blocks"]
        if b.get("type") == "input" and b["element"]["action_id"] == action_id
    )


@pytest.mark.parametrize(
    ("action", "step_id"),
    [
        (Action.COMPLETE_STEP, "notify_supplier"),
        (Action.REOPEN_STEP, "confirm"),
        (Action.SKIP_STEP, "contain"),
    ],
    ids=["complete", "reopen", "skip"],
)
def test_the_wrong_person_is_told_privately_and_nothing_changes(
    desk: Desk, action: Action, step_id: str
) -> None:
    number = desk.report()
    desk.confirm(number)
    updates, audit = _updates(desk, number), desk.audit_count(number)
    others = {u: len(desk.private_texts(u)) for u in (REPORTER, SECURITY, LEGAL, COMMS)}
    seen = len(desk.private_texts(PROCUREMENT))
    desk.click(PROCUREMENT, action, number, step_id)
    told = desk.told(PROCUREMENT, seen)
    desk.world.settle()
    assert told.startswith(":no_entry:")
    assert "Only" in told and f"LEAK-{number}" in told
    assert desk.standin.ephemerals(PROCUREMENT)[-1].user == PROCUREMENT
    assert {u: len(desk.private_texts(u)) for u in others} == others
    assert _updates(desk, number) == updates
    assert desk.audit_count(number) == audit
    assert not [
        v
        for v in desk.standin.open_views
        if v["callback_id"] == View.REASON.value and PROCUREMENT in json.dumps(v)
    ]
    state = desk.incident(number).steps[step_id]
    assert state.status is (StepStatus.DONE if step_id == "confirm" else StepStatus.READY)


def test_a_click_on_a_step_already_done_says_who_did_it(desk: Desk) -> None:
    number = desk.report()
    desk.confirm(number)
    seen = len(desk.private_texts(REPORTER))
    audit = desk.audit_count(number)
    desk.click(REPORTER, Action.COMPLETE_STEP, number, "confirm")
    told = desk.told(REPORTER, seen)
    assert f"<@{SECURITY}>" in told
    assert desk.audit_count(number) == audit


def test_a_click_on_a_closed_incident_says_it_is_closed(desk: Desk) -> None:
    number = desk.report()
    desk.complete(SECURITY, number, "confirm", {"verdict": "false_alarm"})
    assert desk.incident(number).status is IncidentStatus.FALSE_ALARM
    audit, updates = desk.audit_count(number), _updates(desk, number)
    seen = len(desk.private_texts(REPORTER))
    desk.click(REPORTER, Action.COMPLETE_STEP, number, "notify_supplier")
    told = desk.told(REPORTER, seen)
    desk.world.settle()
    assert "closed" in told and f"LEAK-{number}" in told
    assert desk.audit_count(number) == audit
    assert _updates(desk, number) == updates


def test_eight_simultaneous_clicks_on_one_step_complete_it_once_with_one_thread_line(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()
    number = desk.report()
    desk.confirm(number)
    audit = desk.audit_count(number)
    with ThreadPoolExecutor(8) as pool:
        replies = list(
            pool.map(
                lambda _: desk.click(COMMS, Action.COMPLETE_STEP, number, "partner_advisory"),
                range(8),
            )
        )
    desk.world.settle()
    assert [r.status for r in replies] == [200] * 8
    state = desk.incident(number).steps["partner_advisory"]
    assert state.status is StepStatus.DONE and state.done_by == COMMS
    lines = [t for t in desk.thread(number) if "Advise partners" in t]
    assert len(lines) == 1 and f"<@{COMMS}>" in lines[0]
    added = desk.audit_count(number) - audit
    assert added >= 1
    told = desk.wait_for(lambda: len(desk.private_texts(COMMS)) >= 7 and desk.private_texts(COMMS))
    assert len(told) == 7
    assert all(f"<@{COMMS}>" in t for t in told)


def _ready_for_penalty(desk: Desk) -> int:
    number = desk.report()
    desk.confirm(number)
    desk.complete(LEGAL, number, "notify_supplier", {"sent_on": "2026-01-01"})
    return number


def test_a_step_with_inputs_opens_a_modal_prefilled_with_the_contract_penalty(desk: Desk) -> None:
    number = _ready_for_penalty(desk)
    desk.click(LEGAL, Action.COMPLETE_STEP, number, "assess_penalty")
    view = desk.world.modal_for(LEGAL, View.STEP_INPUTS.value)
    assert _element(view, "amount")["initial_value"] == "CNY 1,000,000.00"
    assert json.loads(view["private_metadata"]) == {"number": number, "step_id": "assess_penalty"}
    reply = desk.world.submit(LEGAL, view, {})
    assert reply.status == 200 and b"errors" not in reply.body
    desk.world.settle()
    state = desk.incident(number).steps["assess_penalty"]
    assert state.status is StepStatus.DONE
    assert state.inputs["amount"] == {"amount": "1000000.00", "currency": "CNY"}


@pytest.mark.parametrize("amount", ["CNY -5", "-1000", "CNY 1000000000000000", "a lot"], ids=str)
def test_invalid_inputs_come_back_as_modal_errors_and_nothing_is_recorded(
    desk: Desk, amount: str
) -> None:
    number = _ready_for_penalty(desk)
    audit, updates = desk.audit_count(number), _updates(desk, number)
    desk.click(LEGAL, Action.COMPLETE_STEP, number, "assess_penalty")
    view = desk.world.modal_for(LEGAL, View.STEP_INPUTS.value)
    reply = desk.world.submit(LEGAL, view, {"amount": amount})
    desk.standin.close_view(view["id"])
    desk.world.settle()
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [INPUT_PREFIX + "amount"]
    assert desk.incident(number).steps["assess_penalty"].status is StepStatus.READY
    assert desk.audit_count(number) == audit
    assert _updates(desk, number) == updates


@pytest.mark.parametrize(
    ("action", "step_id", "verb", "status"),
    [
        (Action.REOPEN_STEP, "confirm", "reopened", StepStatus.READY),
        (Action.SKIP_STEP, "contain", "skipped", StepStatus.SKIPPED),
    ],
    ids=["reopen", "skip"],
)
def test_reopen_and_skip_ask_for_a_reason_and_refuse_an_empty_one(
    desk: Desk, action: Action, step_id: str, verb: str, status: StepStatus
) -> None:
    number = desk.report()
    desk.confirm(number)
    audit, updates = desk.audit_count(number), _updates(desk, number)
    desk.click(SECURITY, action, number, step_id)
    view = desk.world.modal_for(SECURITY, View.REASON.value)
    empty = desk.world.submit(SECURITY, view, {REASON_FIELD: "   "})
    assert empty.json()["response_action"] == "errors"
    assert list(empty.json()["errors"]) == [REASON_FIELD]
    desk.world.settle()
    assert desk.audit_count(number) == audit
    reason = "The watermark check was on the wrong revision"
    done = desk.world.submit(SECURITY, view, {REASON_FIELD: reason})
    assert done.status == 200 and b"errors" not in done.body
    desk.world.settle()
    assert desk.incident(number).steps[step_id].status is status
    assert desk.audit_count(number) > audit
    assert _updates(desk, number) == updates + 1
    line = desk.thread(number)[-1]
    assert verb in line and reason in line and f"<@{SECURITY}>" in line


def test_each_change_updates_the_checklist_in_place_and_adds_a_thread_line(desk: Desk) -> None:
    number = desk.report()
    channel, ts = desk.world.checklist(number)
    posted = len(desk.calls("chat.postMessage", channel=channel))
    for user, step_id, answers in [
        (SECURITY, "confirm", {"verdict": "confirmed"}),
        (COMMS, "partner_advisory", None),
        (LEGAL, "notify_supplier", {"sent_on": "2026-01-01"}),
    ]:
        updates, lines = _updates(desk, number), len(desk.thread(number))
        desk.complete(user, number, step_id, answers)
        assert _updates(desk, number) == updates + 1
        assert desk.world.checklist(number) == (channel, ts)
        thread = desk.thread(number)
        assert len(thread) == lines + 1
        assert f"<@{user}>" in thread[-1] and "completed" in thread[-1]
    top_level = [
        c for c in desk.calls("chat.postMessage", channel=channel) if "thread_ts" not in c.args
    ]
    assert len(desk.calls("chat.postMessage", channel=channel)) == posted + 3
    assert len(top_level) == 2  # the facts and the checklist, posted once when opening
    checklist = desk.standin.workspace.channels[channel].message(ts)
    assert checklist is not None and checklist.edits == 3
    assert "3/" in checklist.text
