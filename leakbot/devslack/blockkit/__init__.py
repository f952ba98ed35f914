"""Slack's Block Kit rules, checked on every ``blocks`` and ``view`` the stand-in receives.

The rules are those of Slack's Block Kit reference (docs.slack.dev/reference/block-kit and
docs.slack.dev/reference/views): which fields each block, element and composition object may
carry and which it must, every length and count limit, which elements each block accepts, that
an ``action_id`` is unique within its block and a ``block_id`` within its message or view, that
``initial_option(s)`` are among the options, and where only ``plain_text`` is allowed.

A problem reads as Slack words it in ``response_metadata.messages`` — ``must be less than 76
characters [json-pointer:/blocks/0/elements/1/text/text]`` — with the JSON pointer of the
offending value. Wordings Slack publishes are used as published ("must be less than N
characters", "no more than N items allowed", "missing required field: x", "unsupported type:
x", "invalid additional property: x", "must define either `text` or `fields`"); the few it does
not publish (duplicate ids, an initial option missing from the options) are written plainly.
Input blocks are accepted in all three surfaces (messages too, since April 2021); a modal that
has one must have ``submit``. Lengths are counted in UTF-16 code units: an emoji outside the
Basic Multilingual Plane counts two, so a length here is never below Slack's, whether Slack
counts code points or code units.

Entry points: ``validate(kind, payload)`` for a surface — ``"message"`` (``text`` and
``blocks``, as chat.postMessage, a response_url or a slash command's answer carries them),
``"modal"`` or ``"home"`` (a view) — and ``validate_ack(request_type, body)`` for the body of an
acknowledgement, whichever transport carried it. ``error_body`` turns problems into the answer
Slack gives: ``invalid_blocks`` for messages, ``invalid_arguments`` for views.

The package: ``limits`` and ``shapes`` hold the rules as data; ``walker``, ``elements`` and
``surfaces`` check a payload against them; ``calls`` applies them to Web API calls.
"""

from leakbot.devslack.blockkit.calls import Verdict, check_call, check_response
from leakbot.devslack.blockkit.limits import SURFACES, Surface
from leakbot.devslack.blockkit.problems import Problem, error_body, length
from leakbot.devslack.blockkit.surfaces import (
    message_text_problems,
    validate,
    validate_ack,
    validate_view,
)

__all__ = [
    "SURFACES",
    "Problem",
    "Surface",
    "Verdict",
    "check_call",
    "check_response",
    "error_body",
    "length",
    "message_text_problems",
    "validate",
    "validate_ack",
    "validate_view",
]
