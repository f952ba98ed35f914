"""Liquidated damages from the contract, and legal's own figure checked before it is used."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leakbot.domain.config import Contract, Penalty
from leakbot.domain.errors import InvalidInputs
from leakbot.domain.penalty import PenaltyAssessment, assess, validate_override

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000000", Decimal("1000000.00")),
        ("1,250,000.5", Decimal("1250000.50")),
        ("CNY 750,000", Decimal("750000.00")),
        ("  99.99 cny ", Decimal("99.99")),
    ],
)
def test_a_plausible_override_is_returned_with_two_decimals(text: str, expected: Decimal) -> None:
    assert validate_override(text, assess(FIXED)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5000", "negative"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("a million", "amount such as"),
        ("", "amount such as"),
        ("1000.123", "two decimals"),
        ("2000000000000", "implausibly large"),
    ],
)
def test_a_bad_override_is_refused_with_a_reason_keyed_amount(text: str, message: str) -> None:
    with pytest.raises(InvalidInputs) as caught:
        validate_override(text, None)
    assert list(caught.value.errors) == ["amount"]
    assert message in caught.value.errors["amount"]


def test_an_override_over_a_hundred_times_the_contract_amount_is_refused() -> None:
    with pytest.raises(InvalidInputs) as caught:
        validate_override("100000001", assess(FIXED))
    assert "100 times" in caught.value.errors["amount"]
    assert validate_override("100000000", Decimal("1000000")) == Decimal("100000000.00")


def test_without_a_contract_amount_only_the_absolute_ceiling_applies() -> None:
    assert validate_override("900000000000", None) == Decimal("900000000000.00")
