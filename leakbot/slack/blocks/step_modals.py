"""Modals about one step: its inputs, a reason to reopen or skip it, and "working…"."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UrlInputElement,
    UserSelectElement,
)
from slack_sdk.models.views import View as SlackView

from leakbot.domain.hygiene import LIMITS, MAX_NUMBER
from leakbot.domain.incident import Incident
from leakbot.domain.playbook import InputSpec, StepSpec
from leakbot.slack.blocks.common import (
    MAX_FIELD,
    MAX_OPTION_TEXT,
    MAX_OPTIONS,
    MAX_VIEW_TITLE,
    context,
    plain,
    section,
)
from leakbot.slack.ids import INPUT_PREFIX, REASON_FIELD, View
from leakbot.slack.text import esc, user_text

MONEY_EXAMPLE = "e.g. CNY 1,000,000"
REASON_VERBS = ("reopen", "skip")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # Slack's initial_date: YYYY-MM-DD only
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")  # what a number input takes as its initial value


def _is_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _element(spec: InputSpec, prefill: str | None) -> InputInteractiveElement:
    """The element for one input type; ``prefill`` is used only where it fits the type."""
    initial = prefill or None
    if spec.type == "long_text":
        most = LIMITS["long_text"]
        return PlainTextInputElement(
            action_id=spec.id,
            multiline=True,
            max_length=most,
            initial_value=initial[:most] if initial else None,
        )
    if spec.type == "url":
        return UrlInputElement(action_id=spec.id, initial_value=initial)
    if spec.type == "number":
        number = initial.strip() if initial and _DECIMAL.match(initial.strip()) else None
        if number is not None and abs(Decimal(number)) > MAX_NUMBER:
            number = None  # outside the bounds the element is given
        return NumberInputElement(
            action_id=spec.id,
            is_decimal_allowed=True,
            initial_value=number,
            min_value=f"-{MAX_NUMBER}",
            max_value=str(MAX_NUMBER),
        )
    if spec.type == "money":
        return PlainTextInputElement(
            action_id=spec.id, initial_value=initial, placeholder=plain("CNY 1,000,000")
        )
    if spec.type == "date":
        good = initial if initial and _is_date(initial) else None
        return DatePickerElement(action_id=spec.id, initial_date=good)
    if spec.type == "choice":
        options = [
            Option(value=o.value, text=plain(esc(o.label), MAX_OPTION_TEXT))
            for o in spec.options[:MAX_OPTIONS]
        ]
        chosen = next((o for o in options if o.value == initial), None)
        return StaticSelectElement(action_id=spec.id, options=options, initial_option=chosen)
    if spec.type == "user":
        user = initial if initial and _USER_ID.match(initial) else None
        return UserSelectElement(action_id=spec.id, initial_user=user)
    most = LIMITS["text"]
    return PlainTextInputElement(
        action_id=spec.id, max_length=most, initial_value=initial[:most] if initial else None
    )


def _hint(spec: InputSpec) -> str | None:
    parts = [esc(spec.hint)] if spec.hint else []
    if spec.type == "money":
        parts.append(MONEY_EXAMPLE)
    return " · ".join(parts) or None


def input_block(spec: InputSpec, prefill: str | None) -> InputBlock:
    hint = _hint(spec)
    return InputBlock(
        block_id=INPUT_PREFIX + spec.id,
        label=plain(esc(spec.label), MAX_FIELD),
        element=_element(spec, prefill),
        optional=not spec.required,
        hint=plain(hint, MAX_FIELD) if hint else None,
    )


def _about(incident: Incident, spec: StepSpec) -> Block:
    text = f"*{incident.ref}* · *{user_text(spec.title, 200)}*"
    if spec.description:
        text += f"\n{user_text(spec.description, 2000)}"
    return section(text, block_id="about")


def step_inputs_modal(incident: Incident, spec: StepSpec, prefill: dict[str, str]) -> SlackView:
    """What a step asks for before it counts as done; read back by ``payloads.step_inputs``."""
    blocks: list[Block] = [_about(incident, spec)]
    blocks += [input_block(i, prefill.get(i.id)) for i in spec.inputs[:98]]
    return SlackView(
        type="modal",
        callback_id=View.STEP_INPUTS,
        title=plain("Complete step", MAX_VIEW_TITLE),
        submit=plain("Complete"),
        close=plain("Cancel"),
        private_metadata=json.dumps({"number": incident.number, "step_id": spec.id}),
        blocks=blocks,
    )


def reason_modal(incident: Incident, spec: StepSpec, verb: str) -> SlackView:
    """Asks why a step is reopened or skipped; the rules refuse either without a reason."""
    if verb not in REASON_VERBS:
        raise ValueError(f"verb must be one of {REASON_VERBS}, not {verb!r}")
    word = "Reopen" if verb == "reopen" else "Skip"
    effect = (
        "Steps that come after it will wait for it again."
        if verb == "reopen"
        else "Steps that come after it will go ahead without it."
    )
    blocks: list[Block] = [
        _about(incident, spec),
        context(effect),
        InputBlock(
            block_id=REASON_FIELD,
            label=plain(f"Why {verb} this step?"),
            element=PlainTextInputElement(
                action_id=REASON_FIELD, multiline=True, max_length=LIMITS["reason"]
            ),
        ),
    ]
    return SlackView(
        type="modal",
        callback_id=View.REASON,
        title=plain(f"{word} step", MAX_VIEW_TITLE),
        submit=plain(word),
        close=plain("Cancel"),
        private_metadata=json.dumps({"number": incident.number, "step_id": spec.id, "verb": verb}),
        blocks=blocks,
    )


def working_view(title: str, text: str) -> SlackView:
    """Shown at once on submit while the real work runs; ``text`` is leakbot's own mrkdwn."""
    return SlackView(
        type="modal",
        callback_id=View.WORKING,
        title=plain(title, MAX_VIEW_TITLE),
        close=plain("Close"),
        blocks=[section(text or "Working…", block_id="working")],
    )
