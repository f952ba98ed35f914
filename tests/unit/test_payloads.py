"""Payload parsing, checked against the modals leakbot builds: build, fill in, read back."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leakbot.domain.config import Supplier
from leakbot.domain.errors import Refused
from leakbot.domain.incident import Incident, StepStatus
from leakbot.domain.playbook import Choice, InputSpec, StepSpec
from leakbot.domain.report import ReportForm
from leakbot.slack.blocks import reason_modal, report_modal, step_inputs_modal
from leakbot.slack.blocks.checklist_message import checklist_message
from leakbot.slack.payloads import (
    draft_ref,
    incident_number,
    input_errors,
    menu_choice,
    metadata,
    notice_ref,
    person_name,
    reason_submission,
    report_errors,
    report_form,
    step_inputs,
    step_ref,
)
from leakbot.slack.text import esc

STEP = StepSpec(
    id="penalty",
    title="Impose the penalty",
    owner="legal",
    inputs=(
        InputSpec(id="summary", label="Summary", type="text"),
        InputSpec(id="details", label="Details", type="long_text", required=False),
        InputSpec(id="evidence", label="Evidence", type="url"),
        InputSpec(id="copies", label="Copies", type="number"),
        InputSpec(id="amount", label="Penalty", type="money"),
        InputSpec(id="deadline", label="Deadline", type="date"),
        InputSpec(
            id="basis",
            label="Basis",
            type="choice",
            options=(Choice("nda", "The NDA"), Choice("law", "The law")),
        ),
        InputSpec(id="signer", label="Signed by", type="user"),
    ),
)


def _state_of(element: Mapping[str, Any], answer: str | None) -> dict[str, Any]:
    """What Slack sends for one element holding ``answer`` (None: left empty)."""
    kind = element["type"]
    if kind == "static_select":
        picked = next((o for o in element["options"] if o["value"] == answer), None)
        return {"type": kind, "selected_option": picked}
    if kind == "datepicker":
        return {"type": kind, "selected_date": answer}
    if kind == "users_select":
        return {"type": kind, "selected_user": answer}
    return {"type": kind, "value": answer}


def submit(view: Any, answers: Mapping[str, str | None]) -> dict[str, Any]:
    """The ``view`` of a view_submission for a built modal, as Slack would send it.

    Fields not in ``answers`` keep the modal's initial value, as they would in Slack.
    """
    built = view.to_dict()
    values: dict[str, Any] = {}
    for block in built["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        initial = (
            element.get("initial_value")
            or element.get("initial_date")
            or element.get("initial_user")
            or (element.get("initial_option") or {}).get("value")
        )
        answer = answers.get(block["block_id"], initial)
        values[block["block_id"]] = {element["action_id"]: _state_of(element, answer)}
    return {
        "id": "V0TEST",
        "type": "modal",
        "callback_id": built["callback_id"],
        "private_metadata": built.get("private_metadata", ""),
        "state": {"values": values},
    }


def test_a_filled_report_modal_reads_back_as_the_form_that_was_typed() -> None:
    suppliers = (Supplier(id="bjmold", name="Beijing Molding"),)
    view = report_modal(suppliers, [("supplier-leak", "Supplier leak"), ("other", "Other")])
    typed = {
        "title": "Bumper drafts <!channel>",
        "asset": "K9 bumper",
        "where_seen": "https://forum.example/t/1\nhttps://paste.example/x",
        "supplier": "bjmold",
        "discovered_on": "2024-05-06",
        "severity": "critical",
        "description": "Drafts v3.",
        "playbook": "other",
    }
    form = report_form(submit(view, typed)["state"]["values"])
    assert form == ReportForm(**typed)


def test_an_untouched_report_keeps_the_modals_defaults() -> None:
    view = report_modal((), [("supplier-leak", "Supplier leak")])
    form = report_form(submit(view, {"title": "Leak", "discovered_on": None})["state"]["values"])
    assert form.supplier == "unknown"
    assert form.severity == "high"
    assert form.discovered_on == ""
    assert form.playbook == ""


def test_every_input_type_reads_back_from_the_step_inputs_modal(
    make_incident: Callable[..., Incident],
) -> None:
    view = step_inputs_modal(make_incident(4), STEP, {"amount": "CNY 1,000,000"})
    answers: dict[str, str | None] = {
        "input:summary": "Drafts v3 on a forum",
        "input:details": None,
        "input:evidence": "https://forum.example/t/1",
        "input:copies": "2.5",
        "input:deadline": "2024-05-20",
        "input:basis": "law",
        "input:signer": "U0LEG00001",
    }
    number, step_id, raw = step_inputs(submit(view, answers))
    assert (number, step_id) == (4, "penalty")
    assert raw == {
        "summary": "Drafts v3 on a forum",
        "details": None,
        "evidence": "https://forum.example/t/1",
        "copies": "2.5",
        "amount": "CNY 1,000,000",
        "deadline": "2024-05-20",
        "basis": "law",
        "signer": "U0LEG00001",
    }


@pytest.mark.parametrize("verb", ["reopen", "skip"])
def test_a_reason_reads_back_with_its_step_and_verb(
    make_incident: Callable[..., Incident], verb: str
) -> None:
    view = reason_modal(make_incident(9), STEP, verb)
    submitted = submit(view, {"reason": "  Wrong amount  "})
    assert reason_submission(submitted) == (9, "penalty", verb, "Wrong amount")


def test_a_reason_modal_with_tampered_metadata_is_refused(
    make_incident: Callable[..., Incident],
) -> None:
    submitted = submit(reason_modal(make_incident(9), STEP, "skip"), {"reason": "x"})
    submitted["private_metadata"] = json.dumps({"number": 9, "step_id": "penalty", "verb": "rm"})
    with pytest.raises(Refused):
        reason_submission(submitted)


def test_checklist_button_values_read_back_as_number_and_step(
    make_incident: Callable[..., Incident],
) -> None:
    incident = make_incident(27)
    incident.steps["confirm"].status = StepStatus.READY
    blocks = [b.to_dict() for b in checklist_message(incident, ZoneInfo("UTC")).blocks]
    value = next(b["accessory"]["value"] for b in blocks if b["block_id"] == "step:confirm")
    assert step_ref(value) == (27, "confirm")
    controls = next(b for b in blocks if b["block_id"] == "controls")
    assert incident_number(controls["elements"][0]["value"]) == 27


def test_menu_notice_and_draft_values_parse() -> None:
    assert menu_choice("skip|3:plan") == ("skip", 3, "plan")
    assert notice_ref("41:docx") == (41, "docx")
    assert draft_ref("41") == 41


@pytest.mark.parametrize(
    ("parse", "value"),
    [
        (step_ref, ""),
        (step_ref, "3"),
        (step_ref, "0:confirm"),
        (step_ref, "x:confirm"),
        (step_ref, "3:"),
        (step_ref, "3:<!channel>"),
        (menu_choice, "delete|3:plan"),
        (menu_choice, "3:plan"),
        (notice_ref, "41"),
        (notice_ref, "abc:docx"),
        (notice_ref, "41:../../etc"),
        (draft_ref, "-1"),
        (incident_number, "LEAK-3"),
    ],
)
def test_malformed_values_are_refused_in_plain_words(
    parse: Callable[[str], object], value: str
) -> None:
    with pytest.raises(Refused) as refused:
        parse(value)
    assert "Traceback" not in refused.value.reason and refused.value.reason


@pytest.mark.parametrize("raw", [None, "", "not json", "[1, 2]"])
def test_unreadable_metadata_is_refused(raw: str | None) -> None:
    with pytest.raises(Refused, match="out of date"):
        metadata({"private_metadata": raw})


def test_report_errors_point_at_blocks_the_report_modal_has() -> None:
    view = report_modal((), [("a", "A"), ("b", "B")]).to_dict()
    block_ids = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    errors = {"title": "Give the leak a short title.", "where_seen": "Bad", "other": "Odd"}
    mapped = report_errors(errors)
    assert set(mapped) <= block_ids
    assert mapped["title"] == "Give the leak a short title. Odd"
    assert mapped["where_seen"] == "Bad"


def test_input_errors_point_at_blocks_the_inputs_modal_has(
    make_incident: Callable[..., Incident],
) -> None:
    view = step_inputs_modal(make_incident(4), STEP, {}).to_dict()
    block_ids = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    known = [i.id for i in STEP.inputs]
    mapped = input_errors({"amount": "Penalty must not be negative", "ghost": "unknown"}, known)
    assert set(mapped) <= block_ids
    assert mapped["input:amount"] == "Penalty must not be negative"
    assert mapped["input:summary"] == "unknown"
    assert input_errors({"copies": "x"}) == {"input:copies": "x"}


def test_text_typed_in_a_modal_comes_back_exactly_as_typed_not_escaped(
    make_incident: Callable[..., Incident],
) -> None:
    typed = "<!channel> & <@U1>"
    view = step_inputs_modal(make_incident(4), STEP, {})
    _, _, raw = step_inputs(submit(view, {"input:summary": typed}))
    assert raw["summary"] == typed != esc(typed)


def test_a_person_is_named_as_slack_shows_them_display_name_first() -> None:
    slack = {"name": "li.na", "real_name": "Li Na (security)"}
    assert person_name({**slack, "profile": {"display_name": "Li Na", "real_name": "x"}}) == "Li Na"
    assert person_name({**slack, "profile": {"display_name": " ", "real_name": "Li Na (sec)"}}) == (
        "Li Na (sec)"
    )
    assert person_name(slack) == "Li Na (security)"
    assert person_name({"name": "li.na"}) == "li.na"
    assert person_name({}) is None
