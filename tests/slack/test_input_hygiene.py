"""Bad input over signed HTTP, on SQLite and PostgreSQL alike: over-long, invisible, control
and bidi characters, numbers past 64 bits, over-long ids and malformed modal metadata get an
error in the modal or a private refusal, and nothing is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from leakbot.demo.story import REPORTER, SECURITY
from leakbot.domain.incident import StepStatus
from leakbot.slack.ids import INPUT_PREFIX, REASON_FIELD, Action, ReportField, View

if TYPE_CHECKING:
    from conftest import Desk

RLO = "\u202e"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060"

#: (what, the report's fields, the block the modal shows the error on)
BAD_REPORTS = [
    ("5,000-char asset", {ReportField.ASSET.value: "x" * 5000}, ReportField.ASSET.value),
    (
        "500 URLs",
        {ReportField.WHERE_SEEN.value: "\n".join(f"https://f.example/{i}" for i in range(500))},
        ReportField.WHERE_SEEN.value,
    ),
    ("zero-width title", {ReportField.TITLE.value: ZERO_WIDTH}, ReportField.TITLE.value),
    ("over-long title", {ReportField.TITLE.value: "T" * 151}, ReportField.TITLE.value),
    (
        "100,000-char description",
        {ReportField.DESCRIPTION.value: "d" * 100_000},
        ReportField.DESCRIPTION.value,
    ),
]


def _slack_work(desk: Desk) -> int:
    quiet = {"views.open", "auth.test", "usergroups.users.list", "views.update"}
    return len([c for c in desk.standin.calls if c.method not in quiet])


def test_bad_report_fields_are_errors_on_their_block_and_store_nothing(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()
    for what, fields, block in BAD_REPORTS:
        reply = desk.submit_report(**fields)
        assert reply.status == 200, what
        answer = reply.json()
        assert answer["response_action"] == "errors", what
        assert list(answer["errors"]) == [block], what
        assert "too long" in answer["errors"][block] or "empty" in answer["errors"][block]
    desk.world.settle()
    assert desk.incident_count() == 0
    assert _slack_work(desk) == 0


def test_nul_and_bidi_characters_are_taken_out_before_the_database(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()
    number = desk.report(
        title=f"Drafts\x00 on a forum{RLO}fdp.exe",
        asset="MS11\x00 bumper",
        description=f"NUL\x00 inside, {RLO}reversed",
    )
    facts = desk.incident(number).facts
    assert facts.title == "Drafts on a forumfdp.exe"
    assert facts.asset == "MS11 bumper"
    assert facts.description == "NUL inside, reversed"
    channel, _ = desk.world.checklist(number)
    kickoff = json.dumps([m.blocks for m in desk.standin.messages(channel)], ensure_ascii=False)
    assert RLO not in kickoff and "\\u0000" not in kickoff


def _inputs_modal(desk: Desk, number: int) -> dict[str, Any]:
    desk.click(SECURITY, Action.COMPLETE_STEP, number, "confirm")
    return desk.world.modal_for(SECURITY, View.STEP_INPUTS.value)


def test_bad_step_answers_reasons_and_ids_are_refused_and_change_nothing(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()
    number = desk.report()
    audit = desk.audit_count(number)

    # A 1,000,000-character answer: an error on that input.
    view = _inputs_modal(desk, number)
    huge = desk.world.submit(SECURITY, view, {"verdict": "confirmed", "evidence": "e" * 1_000_000})
    assert huge.status == 200
    assert list(huge.json()["errors"]) == [INPUT_PREFIX + "evidence"]
    assert "1,000,000 characters" in huge.json()["errors"][INPUT_PREFIX + "evidence"]

    # Malformed metadata (not JSON, an incident number past 64 bits, an over-long step id):
    # a private refusal in the modal, never a 500.
    for metadata in (
        "{not json",
        json.dumps({"number": 2**63, "step_id": "confirm"}),
        json.dumps({"number": number, "step_id": "s" * 5000}),
    ):
        forged = {**view, "private_metadata": metadata}
        reply = desk.world.slack.view_submission(
            SECURITY,
            View.STEP_INPUTS.value,
            {},
            private_metadata=metadata,
            view_id=view["id"],
            hash=view["hash"],
            view=forged,
        )
        assert reply.status == 200, metadata
        answer = reply.json()
        assert answer["response_action"] == "update"
        assert "out of date" in json.dumps(answer["view"])
    desk.world.settle()
    assert desk.incident(number).steps["confirm"].status is StepStatus.READY
    assert desk.audit_count(number) == audit

    # A 100,000-character reason, and a reason of zero-width characters: errors on the field.
    done = desk.world.submit(SECURITY, view, {"verdict": "confirmed"})
    assert done.status == 200 and b"errors" not in done.body
    desk.world.settle()
    audit = desk.audit_count(number)
    desk.click(SECURITY, Action.REOPEN_STEP, number, "confirm")
    reason_view = desk.world.modal_for(SECURITY, View.REASON.value)
    for reason in ("r" * 100_000, ZERO_WIDTH):
        reply = desk.world.submit(SECURITY, reason_view, {REASON_FIELD: reason})
        assert reply.status == 200
        assert list(reply.json()["errors"]) == [REASON_FIELD]
    desk.world.settle()
    assert desk.incident(number).steps["confirm"].status is StepStatus.DONE
    assert desk.audit_count(number) == audit


def _private(reply: Any) -> str:
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body.get("response_type") == "ephemeral"
    return json.dumps(body)


def test_over_long_ids_numbers_and_reasons_in_commands_are_refused_privately(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()
    number = desk.report()
    channel, _ = desk.world.checklist(number)
    audit = desk.audit_count(number)
    long_id = "U" + "A" * 500
    shown = _private(desk.world.slash(REPORTER, f"commander <@{long_id}> LEAK-{number}"))
    assert "Name the new commander" in shown
    shown = _private(desk.world.slash(REPORTER, f"status {2**63}"))
    assert "not an incident number" in shown
    shown = _private(desk.world.slash(REPORTER, f"close LEAK-{number} {'r' * 3000}"))
    assert "too long" in shown
    shown = _private(desk.world.slash(REPORTER, f"close LEAK-{number} {ZERO_WIDTH}"))
    assert "Say why" in shown
    shown = _private(desk.world.slash(REPORTER, "close " + "r" * 100_000, channel=channel))
    assert "too long" in shown
    desk.world.settle()
    incident = desk.incident(number)
    assert incident.commander == REPORTER and incident.is_open
    assert desk.audit_count(number) == audit
