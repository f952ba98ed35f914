"""Every Block Kit surface leakbot sends, built at its extremes and checked by the stand-in's
strict Block Kit rules: a 30-step playbook in every step state, 60 notice drafts, titles,
answers and reasons at the longest leakbot accepts, Chinese, emoji, mentions and markup.

Where a surface holds more than Slack allows, leakbot cuts it and says how much is left out
("N more…"); these tests check that note is there, so nothing is dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leakbot.devslack.blockkit import check_call, check_response, validate_ack
from leakbot.domain.config import Supplier
from leakbot.domain.incident import Facts, Incident, IncidentStatus, StepState, StepStatus
from leakbot.domain.playbook import Choice, Due, InputSpec, Playbook, StepSpec
from leakbot.services.queries import Waiting
from leakbot.slack.blocks import (
    Message,
    announcement,
    checklist_message,
    help_message,
    home_view,
    incident_list,
    kickoff_message,
    notices_message,
    reason_modal,
    refusal,
    reminder_message,
    report_modal,
    status_message,
    step_inputs_modal,
    thread_note,
    working_view,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
#: Chinese, emoji (some outside the BMP, one with a joiner), a mention, Slack markup, entities.
MIX = "泄露的保险杠设计图 🚨🔥👩‍💻 <@U0SEC00001> <!channel> *bold* _x_ & <b> &amp; "
SEC, LEG = "U0SEC00001", "U0LEG00001"
ID_MAX = 64  # the longest step, input and notice id a playbook may have
CHOICE_VALUE_MAX = 150  # the longest choice value a playbook may have
CHOICES_MAX = 100  # the most options a choice may have
INPUTS_MAX = 98  # the most inputs a step may have
PROMPT_MAX = 3000  # the longest a person can type into a Slack text input


def long(n: int, seed: str = MIX) -> str:
    """``n`` characters of ``seed`` repeated."""
    return (seed * (n // len(seed) + 1))[:n]


def ident(prefix: str, n: int = ID_MAX) -> str:
    return (prefix + "_" + "x" * n)[:n]


def _inputs(step: int) -> tuple[InputSpec, ...]:
    options = tuple(
        Choice(value=ident(f"v{step}_{i}", CHOICE_VALUE_MAX), label=long(300))
        for i in range(CHOICES_MAX)
    )
    kinds = ("text", "long_text", "url", "number", "money", "date", "choice", "user")
    return tuple(
        InputSpec(
            id=ident(f"i{step}_{k}"),
            label=long(3000),
            type=kind,  # type: ignore[arg-type]  # one of INPUT_TYPES
            required=k % 2 == 0,
            options=options if kind == "choice" else (),
            hint=long(3000),
        )
        for k, kind in enumerate(kinds * 2)
    )


def extreme_playbook(steps: int = 30) -> Playbook:
    specs = []
    for i in range(steps):
        specs.append(
            StepSpec(
                id=ident(f"s{i:02d}"),
                title=long(3000, f"步骤 {i} {MIX}"),
                owner="commander" if i % 5 == 0 else ident("role", 60),
                description=long(6000),
                after=(ident(f"s{i - 1:02d}"),) if i % 3 == 1 and i else (),
                due=Due(seconds=3600 * (i + 1)),
                inputs=_inputs(i) if i % 4 == 0 else (),
                notices=("breach_notice",) if i == 1 else (),
                optional=i % 2 == 1,
            )
        )
    return Playbook(id=ident("pb"), name=long(500), steps=tuple(specs))


STATES = (StepStatus.PENDING, StepStatus.READY, StepStatus.DONE, StepStatus.SKIPPED)


def _state(spec: StepSpec, status: StepStatus) -> StepState:
    state = StepState(step_id=spec.id, status=status, ready_at=NOW)
    if status is StepStatus.READY:
        state.due_at = NOW - timedelta(hours=1)  # overdue
    if status in (StepStatus.DONE, StepStatus.SKIPPED):
        state.done_by, state.done_at = SEC, NOW
        state.note = long(1000)  # a reopen/skip reason at its modal's limit
    if status is StepStatus.DONE:
        state.inputs = {i.id: long(PROMPT_MAX) for i in spec.inputs}
        state.inputs.update(
            {
                i.id: {"amount": "9" * 15 + ".00", "currency": "CNY"}
                for i in spec.inputs
                if i.type == "money"
            }
        )
    return state


def extreme_incident(
    number: int = 123456789,
    steps: int = 30,
    status: IncidentStatus = IncidentStatus.OPEN,
    all_ready: bool = False,
) -> Incident:
    playbook = extreme_playbook(steps)
    states = {
        s.id: _state(s, StepStatus.READY if all_ready else STATES[i % 4])
        for i, s in enumerate(playbook.steps)
    }
    incident = Incident(
        number=number,
        facts=Facts(
            title=long(150),  # the report form's limit
            asset=long(PROMPT_MAX),
            where_seen=tuple(
                f"https://forum.example/{long(90, 'p')}?q={i}&a=<b>" for i in range(30)
            ),
            discovered_at=NOW - timedelta(days=1),
            severity="critical",
            description=long(PROMPT_MAX),
            supplier_id="s" * 64,
        ),
        reporter=SEC,
        commander=SEC,
        playbook=playbook,
        opened_at=NOW,
        steps=states,
    )
    if status is not IncidentStatus.OPEN:
        incident.status, incident.closed_at, incident.closed_by = status, NOW, SEC
        incident.close_reason = long(1000)
    return incident


@dataclass
class Draft:
    id: int
    kind: str
    locale: str
    version: int
    title: str
    status: str
    approved_by: str | None = None


def drafts(n: int = 60) -> list[Draft]:
    return [
        Draft(
            id=10**9 + i,
            kind=ident(f"kind{i}"),
            locale=("en", "zh", "de-CH")[i % 3],
            version=999 + i,
            title=long(1000),
            status=("draft", "approved")[i % 2],
            approved_by=LEG if i % 2 else None,
        )
        for i in range(n)
    ]


# --- how each surface leaves leakbot, and the checks Slack would make of it ---------------------


def assert_message_ok(message: Message) -> dict[str, Any]:
    """As chat.postMessage, chat.update, chat.postEphemeral, a response_url post and a slash
    command's answer: every one of them must be accepted."""
    kwargs = message.as_kwargs()
    for method, extra in (
        ("chat.postMessage", {"channel": "C1"}),
        ("chat.update", {"channel": "C1", "ts": "1.2"}),
        ("chat.postEphemeral", {"channel": "C1", "user": SEC}),
    ):
        verdict = check_call(method, {**extra, **kwargs})
        assert verdict.violations == [], verdict.violations
    body = {"response_type": "ephemeral", **kwargs}
    assert check_response(body) == []
    assert validate_ack("slash_commands", body) == []
    return kwargs


def assert_text_ok(text: str) -> None:
    """A text-only message (thread lines, refusals)."""
    assert_message_ok(Message(text=text))


def assert_view_ok(view: Any, methods: tuple[str, ...]) -> dict[str, Any]:
    shown = dict(view.to_dict())
    for method in methods:
        verdict = check_call(method, {"view": shown, "trigger_id": "t", "user_id": SEC})
        assert verdict.violations == [], (method, verdict.violations)
    if shown["type"] == "modal":
        for action in ("update", "push"):
            problems = validate_ack("view_submission", {"response_action": action, "view": shown})
            assert problems == [], problems
    return shown


def texts(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


# --- the surfaces -------------------------------------------------------------------------------


@pytest.mark.parametrize("all_ready", [False, True], ids=["every state", "all ready (compact)"])
@pytest.mark.parametrize("status", list(IncidentStatus))
def test_the_checklist_of_30_steps(status: IncidentStatus, all_ready: bool) -> None:
    incident = extreme_incident(status=status, all_ready=all_ready)
    shown = assert_message_ok(checklist_message(incident, TZ, notice_count=10**6, now=NOW))
    assert ident("s29") in texts(shown)  # all 30 steps are shown


def test_a_checklist_longer_than_a_message_says_how_many_steps_it_leaves_out() -> None:
    incident = extreme_incident(steps=60)
    shown = assert_message_ok(checklist_message(incident, TZ, now=NOW))
    assert "more steps are not shown here" in texts(shown)


def test_the_kickoff() -> None:
    incident = extreme_incident()
    assert_message_ok(kickoff_message(incident, long(3000), TZ))
    assert_message_ok(kickoff_message(replace(incident, facts=Facts(title="x")), None, TZ))


def test_thread_lines_refusals_and_the_announcement() -> None:
    incident = extreme_incident()
    step = incident.playbook.steps[3].id
    for event in ("completed", "reopened", "skipped", "closed", "commander", "other"):
        payload = {
            "event": event,
            "actor": SEC,
            "step_id": step,
            "reason": long(1000),
            "commander": LEG,
            "outcome": "false_alarm",
        }
        assert_text_ok(thread_note(incident, payload))
    assert_text_ok(refusal(long(3000)))
    assert_message_ok(announcement(incident))


def test_the_notices_list_of_60_drafts() -> None:
    incident = extreme_incident()
    for can_approve in (True, False):
        shown = assert_message_ok(notices_message(incident, drafts(60), can_approve))
        assert "more drafts are not shown" in texts(shown)
    assert_message_ok(notices_message(incident, [], True))


def test_the_app_home() -> None:
    incidents = [extreme_incident(number=n) for n in range(1, 61)]
    waiting = [Waiting(i, i.playbook.steps[1]) for i in incidents]
    shown = assert_view_ok(home_view(incidents, waiting, TZ), ("views.publish",))
    assert "more not shown" in texts(shown)
    assert_view_ok(home_view([], [], TZ), ("views.publish",))


def test_the_report_modal() -> None:
    suppliers = [Supplier(id=ident(f"sup{i}"), name=long(500)) for i in range(150)]
    playbooks = [(ident(f"pb{i}"), long(500)) for i in range(150)]
    assert_view_ok(report_modal(suppliers, playbooks), ("views.open", "views.update"))
    assert_view_ok(report_modal([], [("one", "One")]), ("views.open",))


def test_every_step_inputs_modal_with_every_answer_prefilled_at_its_longest() -> None:
    incident = extreme_incident()
    inputs = tuple(i for k in range(10) for i in _inputs(k))[:INPUTS_MAX]
    many = replace(incident.playbook.steps[0], inputs=inputs)
    for spec in (*incident.playbook.steps, many):
        prefill = {i.id: long(PROMPT_MAX) for i in spec.inputs}
        assert_view_ok(step_inputs_modal(incident, spec, prefill), ("views.open", "views.update"))
        valid = {i.id: "2024-05-06" if i.type == "date" else SEC for i in spec.inputs}
        valid.update({i.id: i.options[-1].value for i in spec.inputs if i.options})
        assert_view_ok(step_inputs_modal(incident, spec, valid), ("views.open",))


def test_the_reason_modals() -> None:
    incident = extreme_incident()
    for spec in incident.playbook.steps:
        for verb in ("reopen", "skip"):
            assert_view_ok(reason_modal(incident, spec, verb), ("views.open", "views.push"))


def test_the_working_view() -> None:
    assert_view_ok(working_view(long(500), long(5000)), ("views.update", "views.push"))
    assert_view_ok(working_view("Reporting", ""), ("views.update",))


def test_reminders_and_escalations() -> None:
    incident = extreme_incident()
    for spec in incident.playbook.steps[:5]:
        for escalation in (False, True):
            assert_message_ok(reminder_message(incident, spec, NOW, TZ, escalation))


def test_help_and_status() -> None:
    assert_message_ok(help_message())
    for status in IncidentStatus:
        incident = extreme_incident(status=status, all_ready=True)
        assert_message_ok(status_message(incident, TZ, channel_id="C" + "0" * 10))


def test_the_list_of_open_incidents() -> None:
    few = [extreme_incident(number=n) for n in range(1, 4)]
    assert_message_ok(incident_list(few, {1: "C0CHANNEL01"}))
    assert_message_ok(incident_list([]))
    many = [replace(few[0], number=n) for n in range(1, 5001)]
    shown = assert_message_ok(incident_list(many, {n: f"C{n:010d}" for n in range(1, 5001)}))
    assert "more not shown" in texts(shown)
