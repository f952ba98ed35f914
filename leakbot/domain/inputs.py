"""Validation of the inputs a step asks for: raw text in, JSON-friendly values out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from leakbot.domain.errors import InvalidInputs
from leakbot.domain.hygiene import (
    LIMITS,
    check_number,
    check_text,
    clean,
    has_visible,
    is_user_id,
)
from leakbot.domain.playbook import InputSpec, StepSpec

MAX_AMOUNT = Decimal("1000000000000")  # 1e12: anything above is a typo, not a penalty
_MONEY = re.compile(
    r"^\s*(?:([A-Za-z]{3})\s*)?([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:([A-Za-z]{3}))?\s*$"
)


def parse_url(text: str) -> str:
    url = text.strip()
    if len(url) > LIMITS["url"]:
        raise ValueError(f"a web address is {LIMITS['url']:,} characters at most")
    try:
        parsed = urlparse(url)
    except ValueError:  # e.g. a malformed IPv6 host
        parsed = urlparse("")
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        raise ValueError("must be a web address starting with http:// or https://")
    return url


def parse_urls(text: str) -> tuple[str, ...]:
    """One or more URLs, separated by spaces, commas or new lines; ``LIMITS["urls"]`` at most."""
    parts = [p for p in re.split(r"[\s,]+", text or "") if p]
    if len(parts) > LIMITS["urls"]:
        raise ValueError(f"{LIMITS['urls']} addresses at most, not {len(parts)}")
    return tuple(parse_url(p) for p in parts)


def parse_decimal(text: str) -> Decimal:
    digits = text.replace(",", "").strip()
    if len(digits) > 40:
        raise ValueError("must be a number of at most 40 digits")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not value.is_finite():
        raise ValueError("must be a number")
    return value


def parse_money(text: str, default_currency: str | None) -> dict[str, str]:
    m = _MONEY.match(text or "")
    if not m:
        if (text or "").strip().startswith("-"):
            raise ValueError("must not be negative")
        raise ValueError("must be an amount such as `CNY 1,000,000`")
    currency = (m.group(1) or m.group(3) or default_currency or "").upper()
    if not currency:
        raise ValueError("say which currency, e.g. `CNY 1,000,000`")
    amount = parse_decimal(m.group(2))
    if amount <= 0:
        raise ValueError("must be more than zero")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("has more than two decimals")
    if amount > MAX_AMOUNT:
        raise ValueError("is implausibly large; check the number of zeros")
    return {"amount": f"{amount:.2f}", "currency": currency}


def parse_value(spec: InputSpec, raw: str, default_currency: str | None) -> Any:
    if spec.type in ("text", "long_text"):
        multiline = spec.type == "long_text"
        return check_text(raw, LIMITS[spec.type], multiline=multiline)
    text = check_text(raw, LIMITS["long_text"])
    if spec.type == "url":
        return parse_url(text)
    if spec.type == "number":
        return str(check_number(parse_decimal(text)))
    if spec.type == "money":
        return parse_money(text, default_currency)
    if spec.type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("must be a date (YYYY-MM-DD)") from None
    if spec.type == "choice":
        values = [o.value for o in spec.options]
        if text not in values:
            raise ValueError(f"must be one of: {', '.join(values)}")
        return text
    if spec.type == "user":
        if not is_user_id(text):
            raise ValueError("must be a Slack user")
        return text
    raise ValueError(f"has an unknown type `{spec.type}`")


def validate_inputs(
    step: StepSpec, raw: Mapping[str, str | None], default_currency: str | None = None
) -> dict[str, Any]:
    """Every input of ``step`` checked; all problems raised together as InvalidInputs."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    unknown = set(raw) - {i.id for i in step.inputs}
    for key in sorted(unknown):
        errors[key] = "is not an input of this step"
    for spec in step.inputs:
        text = raw.get(spec.id)
        if text is None or not has_visible(clean(str(text))):
            if spec.required:
                errors[spec.id] = f"{spec.label} is required."
            continue
        try:
            values[spec.id] = parse_value(spec, str(text), default_currency)
        except ValueError as e:
            errors[spec.id] = f"{spec.label} {e}"
    if errors:
        raise InvalidInputs(errors)
    return values
