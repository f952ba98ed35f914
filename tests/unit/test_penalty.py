"""Liquidated damages from the contract, and legal's own figure checked before it is used."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from leakbot.domain.config import Contract, Penalty
from leakbot.domain.errors import InvalidInputs
from leakbot.domain.inputs import validate_inputs
from leakbot.domain.penalty import (
    MAX_FACTOR,
    PENALTY_FACT,
    PenaltyAssessment,
    assess,
    check_entered,
    penalty_input,
)
from leakbot.domain.playbook import InputSpec, Playbook, StepSpec

FIXED = Contract("NDA-2023-0147", "9.2", Penalty("CNY", amount=Decimal("1000000")), 14)
PER_BREACH = Contract(
    "NDA-7", penalty=Penalty("CNY", per_breach=Decimal("400000"), cap=Decimal("1000000"))
)


def test_a_fixed_penalty_is_the_contract_amount_whatever_the_number_of_breaches() -> None:
    assert assess(FIXED, breaches=3) == PenaltyAssessment(Decimal("1000000"), "CNY", "fixed", 3)


def test_a_per_breach_penalty_is_multiplied_by_the_breaches_below_the_cap() -> None:
    result = assess(PER_BREACH, breaches=2)
    assert result is not None
    assert (result.amount, result.basis, result.capped) == (Decimal("800000"), "per_breach", False)


def test_a_per_breach_penalty_stops_at_the_cap() -> None:
    result = assess(PER_BREACH, breaches=3)
    assert result is not None
    assert result.amount == Decimal("1000000")
    assert result.capped and result.per_breach == Decimal("400000")


def test_a_per_breach_penalty_without_a_cap_grows_with_each_breach() -> None:
    contract = Contract("NDA-8", penalty=Penalty("USD", per_breach=Decimal("5000")))
    result = assess(contract, breaches=4)
    assert result is not None and result.amount == Decimal("20000") and not result.capped


def test_no_contract_or_no_penalty_clause_leaves_the_amount_to_legal() -> None:
    assert assess(None) is None
    assert assess(Contract("NDA-9")) is None


def test_fewer_than_one_breach_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        assess(FIXED, breaches=0)


PENALTY_STEP = StepSpec(
    id="assess_penalty",
    title="Assess the penalty",
    owner="legal",
    inputs=(
        InputSpec(id="amount", label="Amount", type="money", default_from=PENALTY_FACT),
        InputSpec(id="override_reason", label="Why", type="long_text", required=False),
    ),
)
PLAYBOOK = Playbook(
    id="p",
    name="P",
    steps=(StepSpec(id="confirm", title="Confirm", owner="security"), PENALTY_STEP),
)


def entered(text: str, reason: str | None = None) -> dict[str, Any]:
    """Legal's figure read as the step's inputs are (``domain.inputs``), in CNY by default."""
    return validate_inputs(PENALTY_STEP, {"amount": text, "override_reason": reason}, "CNY")


def test_the_penalty_input_is_the_one_that_starts_from_the_contracts_penalty() -> None:
    assert penalty_input(PLAYBOOK) == (PENALTY_STEP, PENALTY_STEP.inputs[0])
    plain = replace(PENALTY_STEP, inputs=(InputSpec(id="amount", label="A", type="money"),))
    assert penalty_input(replace(PLAYBOOK, steps=(plain,))) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000000", "1000000.00"),
        ("1,250,000.5", "1250000.50"),
        ("CNY 750,000", "750000.00"),
        ("  99.99 cny ", "99.99"),
    ],
)
def test_a_plausible_figure_is_kept_with_two_decimals(text: str, expected: str) -> None:
    values = entered(text, "settled")
    check_entered(PENALTY_STEP, values, Decimal("1000000"))
    assert values["amount"] == {"amount": expected, "currency": "CNY"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5000", "negative"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("a million", "amount such as"),
        ("1000.123", "two decimals"),
        ("2000000000000", "implausibly large"),
    ],
)
def test_a_bad_figure_is_refused_with_a_reason_keyed_by_the_input(text: str, message: str) -> None:
    with pytest.raises(InvalidInputs) as caught:
        entered(text)
    assert list(caught.value.errors) == ["amount"]
    assert message in caught.value.errors["amount"]


def test_a_figure_over_a_hundred_times_the_contract_amount_is_refused() -> None:
    with pytest.raises(InvalidInputs) as caught:
        check_entered(PENALTY_STEP, entered("100000001", "typo?"), Decimal("1000000"))
    assert f"{MAX_FACTOR} times" in caught.value.errors["amount"]
    check_entered(PENALTY_STEP, entered("100000000", "a court's figure"), Decimal("1000000"))


def test_a_figure_that_departs_from_the_contract_needs_a_reason() -> None:
    with pytest.raises(InvalidInputs) as caught:
        check_entered(PENALTY_STEP, entered("500000"), Decimal("1000000"))
    assert list(caught.value.errors) == ["override_reason"]
    check_entered(PENALTY_STEP, entered("1000000"), Decimal("1000000"))


def test_without_a_contract_amount_only_the_absolute_ceiling_applies() -> None:
    check_entered(PENALTY_STEP, entered("900000000000"), None)
