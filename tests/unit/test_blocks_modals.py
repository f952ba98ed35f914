"""Modals: the report form, a step's inputs, a reason, and the working view."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from leakbot.domain.config import Supplier
from leakbot.domain.incident import Incident
from leakbot.domain.playbook import Choice, InputSpec, StepSpec
from leakbot.slack.blocks import reason_modal, report_modal, step_inputs_modal, working_view
from leakbot.slack.ids import INPUT_PREFIX, REASON_FIELD, ReportField, View

EVIL = "<!channel> & <@UEVIL0001>"
SUPPLIERS = (
    Supplier(id="bjmold", name="Beijing Molding Technology Co., Ltd."),
    Supplier(id="sh", name=f"Shanghai {EVIL} Plastics"),
)
EVERY_TYPE = StepSpec(
    id="penalty",
    title=f"Impose the penalty {EVIL}",
    owner="legal",
    description="Per clause 9.2 of the NDA.",
    inputs=(
        InputSpec(id="summary", label="Summary", type="text", hint=f"short {EVIL}"),
        InputSpec(id="details", label="Details", type="long_text", required=False),
        InputSpec(id="evidence", label="Evidence", type="url"),
        InputSpec(id="copies", label="Copies seen", type="number"),
        InputSpec(id="amount", label="Penalty", type="money"),
        InputSpec(id="deadline", label="Deadline", type="date"),
        InputSpec(
            id="basis",
            label=f"Basis {EVIL}",
            type="choice",
            options=(Choice("nda", "The NDA"), Choice("law", "The law")),
        ),
        InputSpec(id="signer", label="Signed by", type="user"),
    ),
)


def elements(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def test_the_report_modal_asks_every_field_with_block_and_action_ids_from_report_field() -> None:
    view = report_modal(SUPPLIERS, [("supplier-leak", "Supplier leak")]).to_dict()
    assert view["callback_id"] == View.REPORT and view["type"] == "modal"
    inputs = elements(view)
    expected = set(ReportField) - {ReportField.PLAYBOOK}
    assert set(inputs) == {f.value for f in expected}
    for block_id, block in inputs.items():
        assert block["element"]["action_id"] == block_id
    assert inputs["title"]["element"]["max_length"] == 150
    assert inputs["where_seen"]["element"]["multiline"] is True
    assert inputs["discovered_on"]["element"]["type"] == "datepicker"
    assert inputs["description"]["optional"] is True


def test_the_report_modal_offers_configured_suppliers_and_unknown() -> None:
    inputs = elements(report_modal(SUPPLIERS, [("a", "A")]).to_dict())
    supplier = inputs["supplier"]["element"]
    assert [o["value"] for o in supplier["options"]] == ["bjmold", "sh", "unknown"]
    assert supplier["initial_option"]["value"] == "unknown"
    assert "<!channel>" not in json.dumps(supplier)
    severity = inputs["severity"]["element"]
    assert [o["value"] for o in severity["options"]] == ["low", "medium", "high", "critical"]
    assert severity["initial_option"]["value"] == "high"


def test_the_playbook_select_appears_only_when_there_is_a_choice() -> None:
    one = elements(report_modal((), [("a", "A")]).to_dict())
    two = elements(report_modal((), [("a", "A"), ("b", "B")]).to_dict())
    assert "playbook" not in one
    assert [o["value"] for o in two["playbook"]["element"]["options"]] == ["a", "b"]


def test_a_hundred_and_fifty_suppliers_still_make_a_valid_select() -> None:
    many = tuple(Supplier(id=f"s{i}", name=f"Supplier {i}" * 10) for i in range(150))
    supplier = elements(report_modal(many, [("a", "A")]).to_dict())["supplier"]["element"]
    assert len(supplier["options"]) == 100
    assert supplier["options"][-1]["value"] == "unknown"


def test_each_input_type_gets_its_own_element(make_incident: Callable[..., Incident]) -> None:
    view = step_inputs_modal(make_incident(3), EVERY_TYPE, {}).to_dict()
    types = {k: v["element"]["type"] for k, v in elements(view).items()}
    assert types == {
        INPUT_PREFIX + "summary": "plain_text_input",
        INPUT_PREFIX + "details": "plain_text_input",
        INPUT_PREFIX + "evidence": "url_text_input",
        INPUT_PREFIX + "copies": "number_input",
        INPUT_PREFIX + "amount": "plain_text_input",
        INPUT_PREFIX + "deadline": "datepicker",
        INPUT_PREFIX + "basis": "static_select",
        INPUT_PREFIX + "signer": "users_select",
    }
    inputs = elements(view)
    for input_spec in EVERY_TYPE.inputs:
        block = inputs[INPUT_PREFIX + input_spec.id]
        assert block["element"]["action_id"] == input_spec.id
        assert block["optional"] is (not input_spec.required)
    assert inputs[INPUT_PREFIX + "details"]["element"]["multiline"] is True
    assert inputs[INPUT_PREFIX + "copies"]["element"]["is_decimal_allowed"] is True
    assert "e.g. CNY 1,000,000" in inputs[INPUT_PREFIX + "amount"]["hint"]["text"]
    assert view["callback_id"] == View.STEP_INPUTS
    assert json.loads(view["private_metadata"]) == {"number": 3, "step_id": "penalty"}


def test_prefilled_values_land_in_the_element_that_fits_them(
    make_incident: Callable[..., Incident],
) -> None:
    prefill = {
        "summary": "Drafts v3",
        "amount": "CNY 1,000,000",
        "deadline": "2024-05-20",
        "basis": "law",
        "signer": "U0LEG00001",
        "copies": "2",
    }
    inputs = elements(step_inputs_modal(make_incident(3), EVERY_TYPE, prefill).to_dict())
    assert inputs[INPUT_PREFIX + "summary"]["element"]["initial_value"] == "Drafts v3"
    assert inputs[INPUT_PREFIX + "amount"]["element"]["initial_value"] == "CNY 1,000,000"
    assert inputs[INPUT_PREFIX + "deadline"]["element"]["initial_date"] == "2024-05-20"
    assert inputs[INPUT_PREFIX + "basis"]["element"]["initial_option"]["value"] == "law"
    assert inputs[INPUT_PREFIX + "signer"]["element"]["initial_user"] == "U0LEG00001"
    assert inputs[INPUT_PREFIX + "copies"]["element"]["initial_value"] == "2"


def test_a_prefill_that_does_not_fit_its_type_is_left_out(
    make_incident: Callable[..., Incident],
) -> None:
    prefill = {"deadline": "next week", "basis": "other", "signer": "someone"}
    inputs = elements(step_inputs_modal(make_incident(3), EVERY_TYPE, prefill).to_dict())
    assert "initial_date" not in inputs[INPUT_PREFIX + "deadline"]["element"]
    assert "initial_option" not in inputs[INPUT_PREFIX + "basis"]["element"]
    assert "initial_user" not in inputs[INPUT_PREFIX + "signer"]["element"]


def test_step_titles_labels_and_hints_in_the_inputs_modal_ping_nobody(
    make_incident: Callable[..., Incident],
) -> None:
    dumped = json.dumps(step_inputs_modal(make_incident(3), EVERY_TYPE, {}).to_dict())
    assert "<!channel>" not in dumped and "<@UEVIL0001>" not in dumped
    assert "&lt;!channel&gt;" in dumped


@pytest.mark.parametrize("verb", ["reopen", "skip"])
def test_the_reason_modal_asks_one_reason_and_remembers_the_verb(
    make_incident: Callable[..., Incident], verb: str
) -> None:
    view = reason_modal(make_incident(5), EVERY_TYPE, verb).to_dict()
    inputs = elements(view)
    assert list(inputs) == [REASON_FIELD]
    assert inputs[REASON_FIELD]["element"]["action_id"] == REASON_FIELD
    assert inputs[REASON_FIELD]["element"]["multiline"] is True
    assert view["callback_id"] == View.REASON
    assert json.loads(view["private_metadata"]) == {
        "number": 5,
        "step_id": "penalty",
        "verb": verb,
    }
    assert "<!channel>" not in json.dumps(view)


def test_the_reason_modal_refuses_an_unknown_verb(make_incident: Callable[..., Incident]) -> None:
    with pytest.raises(ValueError, match="verb"):
        reason_modal(make_incident(5), EVERY_TYPE, "delete")


def test_the_working_view_is_a_modal_without_submit_and_keeps_its_title_short() -> None:
    view = working_view("Opening the incident channel", "Working… this takes a moment.").to_dict()
    assert view["callback_id"] == View.WORKING
    assert "submit" not in view
    assert len(view["title"]["text"]) <= 24
    assert "Working…" in view["blocks"][0]["text"]["text"]
