"""Liquidated damages: what the contract says a breach costs, where legal enters its own
figure, and the checks on that figure.

The contract decides by default; legal may enter another amount (a settlement, a court's
figure) in the playbook's penalty input — the input whose default is the contract's penalty
(``default_from: supplier.contract.penalty``). The amount is read as money by
``leakbot.domain.inputs`` and checked against the contract here, so that a slip of the keyboard
never reaches a demand letter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from leakbot.domain.config import Contract
from leakbot.domain.errors import InvalidInputs
from leakbot.domain.playbook import InputSpec, Playbook, StepSpec

#: The fact (one of ``FACT_PATHS``) a penalty input starts from: the input that names it is
#: the penalty input.
PENALTY_FACT = "supplier.contract.penalty"
#: The penalty step's input that counts the breaches (a per-breach penalty multiplies by it).
BREACHES_INPUT = "breaches"
#: The penalty step's input that says why legal's figure differs from the contract's.
OVERRIDE_REASON_INPUT = "override_reason"
#: Legal's figure may exceed the contract's, but not by more than this factor.
MAX_FACTOR = 100


@dataclass(frozen=True)
class PenaltyAssessment:
    """The sum the contract yields for a number of breaches, and how it was reached."""

    amount: Decimal
    currency: str
    basis: Literal["fixed", "per_breach"]
    breaches: int = 1
    per_breach: Decimal | None = None
    cap: Decimal | None = None
    capped: bool = False  # True when per_breach × breaches exceeded the cap


def assess(contract: Contract | None, breaches: int = 1) -> PenaltyAssessment | None:
    """The contract's liquidated damages, or None when it names none: legal must then decide.

    A fixed ``amount`` wins over a per-breach rate, since contracts that state both mean the
    fixed sum as the agreed estimate of loss.
    """
    if breaches < 1:
        raise ValueError("a penalty is assessed for at least one breach")
    penalty = contract.penalty if contract is not None else None
    if penalty is None:
        return None
    if penalty.amount is not None:
        return PenaltyAssessment(penalty.amount, penalty.currency, "fixed", breaches)
    if penalty.per_breach is None:
        return None
    total = penalty.per_breach * breaches
    capped = penalty.cap is not None and total > penalty.cap
    return PenaltyAssessment(
        amount=penalty.cap if capped and penalty.cap is not None else total,
        currency=penalty.currency,
        basis="per_breach",
        breaches=breaches,
        per_breach=penalty.per_breach,
        cap=penalty.cap,
        capped=capped,
    )


def penalty_input(playbook: Playbook) -> tuple[StepSpec, InputSpec] | None:
    """The step and input where legal enters the penalty: the first input whose default is the
    contract's penalty; None when the playbook has none (the contract's figure then stands)."""
    for spec in playbook.steps:
        for field in spec.inputs:
            if field.default_from == PENALTY_FACT:
                return spec, field
    return None


def check_entered(
    step: StepSpec, values: Mapping[str, Any], contract_amount: Decimal | None
) -> None:
    """Legal's figure in ``values`` (a step's validated inputs) against the contract's: more
    than ``MAX_FACTOR`` times it is refused as a likely typo, and a figure that departs from it
    needs a reason when the step asks for one. Raises InvalidInputs keyed by the input."""
    for field in step.inputs:
        if field.default_from != PENALTY_FACT or field.id not in values:
            continue
        amount = Decimal(values[field.id]["amount"])
        if contract_amount is not None and amount > contract_amount * MAX_FACTOR:
            raise InvalidInputs(
                {field.id: f"is more than {MAX_FACTOR} times the contract's amount"}
            )
        overridden = contract_amount is not None and amount != contract_amount
        asks_why = step.input(OVERRIDE_REASON_INPUT) is not None
        if overridden and asks_why and not values.get(OVERRIDE_REASON_INPUT):
            raise InvalidInputs(
                {OVERRIDE_REASON_INPUT: "Say why the amount differs from the contract's."}
            )
