"""Liquidated damages: what the contract says a breach costs, and checks on legal's own figure.

The contract decides by default; legal may enter another amount (a settlement, a court's
figure), which is checked here so that a slip of the keyboard never reaches a demand letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from leakbot.domain.config import Contract
from leakbot.domain.errors import InvalidInputs
from leakbot.domain.inputs import MAX_AMOUNT  # 1e12: above it, a typo in the zeros

#: Legal's figure may exceed the contract's, but not by more than this factor.
MAX_FACTOR = 100

_AMOUNT = re.compile(
    r"^(?:[A-Za-z]{3}\s*)?(?P<number>[-+]?\s*[0-9][0-9,]*(?:\.[0-9]*)?)(?:\s*[A-Za-z]{3})?$"
)


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


def validate_override(
    text: str, contract_penalty: PenaltyAssessment | Decimal | None = None
) -> Decimal:
    """Legal's amount as a Decimal with two places, or InvalidInputs keyed ``amount``.

    ``contract_penalty`` is what the contract yields (if anything): a figure more than
    ``MAX_FACTOR`` times it is refused as a likely typo.
    """
    m = _AMOUNT.match((text or "").strip())
    if not m:
        raise InvalidInputs({"amount": "must be an amount such as 1,000,000 or CNY 1,000,000.00"})
    try:
        amount = Decimal(re.sub(r"[\s,]", "", m.group("number")))
    except InvalidOperation:
        raise InvalidInputs({"amount": "must be a number"}) from None
    if amount < 0:
        raise InvalidInputs({"amount": "must not be negative"})
    if amount == 0:
        raise InvalidInputs({"amount": "must be more than zero"})
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidInputs({"amount": "has more than two decimals"})
    if amount > MAX_AMOUNT:
        raise InvalidInputs({"amount": "is implausibly large; check the number of zeros"})
    reference = (
        contract_penalty.amount
        if isinstance(contract_penalty, PenaltyAssessment)
        else contract_penalty
    )
    if reference is not None and amount > reference * MAX_FACTOR:
        raise InvalidInputs(
            {"amount": f"is more than {MAX_FACTOR} times the contract's amount; check it"}
        )
    return amount.quantize(Decimal("0.01"))
