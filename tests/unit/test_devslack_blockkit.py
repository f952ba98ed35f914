"""The stand-in's Block Kit rules, rule by rule: known-bad surfaces are refused with the error
Slack gives and the JSON pointer of the offending value; known-good ones are accepted."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leakbot.devslack.blockkit import (
    Problem,
    check_call,
    check_response,
    error_body,
    validate,
    validate_ack,
    validate_view,
)
from leakbot.domain.config import Supplier
from leakbot.domain.incident import Incident
from leakbot.slack.blocks import (
    checklist_message,
    help_message,
    home_view,
    kickoff_message,
    notices_message,
    reason_modal,
    report_modal,
    step_inputs_modal,
    working_view,
)

TZ = ZoneInfo("Europe/Berlin")


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def button(action_id: str, text: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": plain(text), **extra}


def option(value: str, text: str | None = None) -> dict[str, Any]:
    return {"text": plain(text or value), "value": value}


def section(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text), **extra}


def actions(*elements: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements), **extra}


def text_input(action_id: str = "a", **extra: Any) -> dict[str, Any]:
    return {"type": "plain_text_input", "action_id": action_id, **extra}


def input_block(element: dict[str, Any], label: str = "Label", **extra: Any) -> dict[str, Any]:
    return {"type": "input", "label": plain(label), "element": element, **extra}


def modal(*blocks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "title": plain("A modal"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "blocks": list(blocks),
    }
    view.update(extra)
    return view


def msg(*blocks: dict[str, Any], text: str = "fallback") -> dict[str, Any]:
    return {"channel": "C1", "text": text, "blocks": list(blocks)}


def select(**extra: Any) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": "pick",
        "options": [option("a"), option("b")],
        **extra,
    }


def confirm(**extra: Any) -> dict[str, Any]:
    return {
        "title": plain("Sure?"),
        "text": mrkdwn("Really?"),
        "confirm": plain("Yes"),
        "deny": plain("No"),
        **extra,
    }


# (name, method, args, Slack's error, pointer, message)
BAD: list[tuple[str, str, dict[str, Any], str, str, str]] = [
    (
        "two buttons of one actions block share an action_id",
        "chat.postMessage",
        msg(actions(button("pull", "Word"), button("pull", "Markdown"))),
        "invalid_blocks",
        "/blocks/0/elements/1/action_id",
        "it must be unique in its block",
    ),
    (
        "two blocks of one message share a block_id",
        "chat.postEphemeral",
        msg(section(block_id="same"), section(block_id="same")),
        "invalid_blocks",
        "/blocks/1/block_id",
        "it must be unique in the message or view",
    ),
    (
        "two blocks of one modal share a block_id",
        "views.open",
        {"trigger_id": "t", "view": modal(section(block_id="x"), section(block_id="x"))},
        "invalid_arguments",
        "/view/blocks/1/block_id",
        "it must be unique in the message or view",
    ),
    (
        "two blocks of a Home tab share a block_id",
        "views.publish",
        {"user_id": "U1", "view": {"type": "home", "blocks": [section(block_id="h")] * 2}},
        "invalid_arguments",
        "/view/blocks/1/block_id",
        "it must be unique in the message or view",
    ),
    (
        "a message of 51 blocks",
        "chat.postMessage",
        msg(*[section(f"line {i}") for i in range(51)]),
        "invalid_blocks",
        "/blocks",
        "no more than 50 items allowed",
    ),
    (
        "a modal of 101 blocks",
        "views.open",
        {"trigger_id": "t", "view": modal(*[section(f"{i}") for i in range(101)])},
        "invalid_arguments",
        "/view/blocks",
        "no more than 100 items allowed",
    ),
    (
        "a Home tab of 101 blocks",
        "views.publish",
        {"user_id": "U1", "view": {"type": "home", "blocks": [{"type": "divider"}] * 101}},
        "invalid_arguments",
        "/view/blocks",
        "no more than 100 items allowed",
    ),
    (
        "a section of 3001 characters",
        "chat.postMessage",
        msg(section("x" * 3001)),
        "invalid_blocks",
        "/blocks/0/text/text",
        "must be less than 3001 characters",
    ),
    (
        "a section with neither text nor fields",
        "chat.postMessage",
        msg({"type": "section", "block_id": "s"}),
        "invalid_blocks",
        "/blocks/0/type",
        "must define either `text` or `fields`",
    ),
    (
        "a section of 11 fields",
        "chat.postMessage",
        msg({"type": "section", "fields": [mrkdwn("f")] * 11}),
        "invalid_blocks",
        "/blocks/0/fields",
        "no more than 10 items allowed",
    ),
    (
        "a field of 2001 characters",
        "chat.postMessage",
        msg({"type": "section", "fields": [mrkdwn("f"), mrkdwn("y" * 2001)]}),
        "invalid_blocks",
        "/blocks/0/fields/1/text",
        "must be less than 2001 characters",
    ),
    (
        "a header of 151 characters",
        "chat.update",
        {
            "channel": "C1",
            "ts": "1.1",
            "text": "t",
            "blocks": [{"type": "header", "text": plain("h" * 151)}],
        },
        "invalid_blocks",
        "/blocks/0/text/text",
        "must be less than 151 characters",
    ),
    (
        "a header in mrkdwn",
        "chat.postMessage",
        msg({"type": "header", "text": mrkdwn("*bold*")}),
        "invalid_blocks",
        "/blocks/0/text/type",
        "must be plain_text",
    ),
    (
        "a button of 76 characters",
        "chat.postMessage",
        msg(actions(button("a"), button("b", "B" * 76))),
        "invalid_blocks",
        "/blocks/0/elements/1/text/text",
        "must be less than 76 characters",
    ),
    (
        "a button in mrkdwn",
        "chat.postMessage",
        msg(actions({"type": "button", "action_id": "a", "text": mrkdwn("*x*")})),
        "invalid_blocks",
        "/blocks/0/elements/0/text/type",
        "must be plain_text",
    ),
    (
        "a button value of 2001 characters",
        "chat.postMessage",
        msg(actions(button("a", value="v" * 2001))),
        "invalid_blocks",
        "/blocks/0/elements/0/value",
        "must be less than 2001 characters",
    ),
    (
        "a button url of 3001 characters",
        "chat.postMessage",
        msg(actions(button("a", url="https://x/" + "u" * 2991))),
        "invalid_blocks",
        "/blocks/0/elements/0/url",
        "must be less than 3001 characters",
    ),
    (
        "a button style Slack does not have",
        "chat.postMessage",
        msg(actions(button("a", style="secondary"))),
        "invalid_blocks",
        "/blocks/0/elements/0/style",
        "must be a valid enum value",
    ),
    (
        "a button with no text",
        "chat.postMessage",
        msg(actions({"type": "button", "action_id": "a"})),
        "invalid_blocks",
        "/blocks/0/elements/0",
        "missing required field: text",
    ),
    (
        "a button that is disabled (Slack has no such field)",
        "chat.postMessage",
        msg(actions(button("a", disabled=True))),
        "invalid_blocks",
        "/blocks/0/elements/0",
        "invalid additional property: disabled",
    ),
    (
        "an action_id of 256 characters",
        "chat.postMessage",
        msg(actions(button("a" * 256))),
        "invalid_blocks",
        "/blocks/0/elements/0/action_id",
        "must be less than 256 characters",
    ),
    (
        "a block_id of 256 characters",
        "chat.postMessage",
        msg(section(block_id="b" * 256)),
        "invalid_blocks",
        "/blocks/0/block_id",
        "must be less than 256 characters",
    ),
    (
        "an actions block of 26 elements",
        "chat.postMessage",
        msg(actions(*[button(f"b{i}") for i in range(26)])),
        "invalid_blocks",
        "/blocks/0/elements",
        "no more than 25 items allowed",
    ),
    (
        "an empty actions block",
        "chat.postMessage",
        msg(actions()),
        "invalid_blocks",
        "/blocks/0/elements",
        "must provide at least 1 item",
    ),
    (
        "a context of 11 elements",
        "chat.postMessage",
        msg({"type": "context", "elements": [mrkdwn("c")] * 11}),
        "invalid_blocks",
        "/blocks/0/elements",
        "no more than 10 items allowed",
    ),
    (
        "a button inside a context block",
        "chat.postMessage",
        msg({"type": "context", "elements": [button("a")]}),
        "invalid_blocks",
        "/blocks/0/elements/0/type",
        "unsupported type: button",
    ),
    (
        "a text input as a section accessory",
        "chat.postMessage",
        msg(section(accessory=text_input())),
        "invalid_blocks",
        "/blocks/0/accessory/type",
        "unsupported type: plain_text_input",
    ),
    (
        "a button as an input element",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(button("a")))},
        "invalid_arguments",
        "/view/blocks/0/element/type",
        "unsupported type: button",
    ),
    (
        "an unknown block type",
        "chat.postMessage",
        msg({"type": "container"}),
        "invalid_blocks",
        "/blocks/0/type",
        "unsupported type: container",
    ),
    (
        "an empty text",
        "chat.postMessage",
        msg(section("")),
        "invalid_blocks",
        "/blocks/0/text/text",
        "must be more than 0 characters",
    ),
    (
        "emoji on mrkdwn",
        "chat.postMessage",
        msg({"type": "section", "text": {**mrkdwn("x"), "emoji": True}}),
        "invalid_blocks",
        "/blocks/0/text",
        "invalid additional property: emoji",
    ),
    (
        "an overflow of 6 options",
        "chat.postMessage",
        msg(
            section(
                accessory={
                    "type": "overflow",
                    "action_id": "o",
                    "options": [option(f"v{i}") for i in range(6)],
                }
            )
        ),
        "invalid_blocks",
        "/blocks/0/accessory/options",
        "no more than 5 items allowed",
    ),
    (
        "an option text of 76 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(select(options=[option("a", "t" * 76)])))},
        "invalid_arguments",
        "/view/blocks/0/element/options/0/text/text",
        "must be less than 76 characters",
    ),
    (
        "an option value of 151 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(select(options=[option("v" * 151, "t")])))},
        "invalid_arguments",
        "/view/blocks/0/element/options/0/value",
        "must be less than 151 characters",
    ),
    (
        "a select of 101 options",
        "views.open",
        {
            "trigger_id": "t",
            "view": modal(input_block(select(options=[option(f"o{i}") for i in range(101)]))),
        },
        "invalid_arguments",
        "/view/blocks/0/element/options",
        "no more than 100 items allowed",
    ),
    (
        "an option group label of 76 characters",
        "views.open",
        {
            "trigger_id": "t",
            "view": modal(
                input_block(
                    {
                        "type": "static_select",
                        "action_id": "g",
                        "option_groups": [{"label": plain("L" * 76), "options": [option("a")]}],
                    }
                )
            ),
        },
        "invalid_arguments",
        "/view/blocks/0/element/option_groups/0/label/text",
        "must be less than 76 characters",
    ),
    (
        "a select with both options and option groups",
        "views.open",
        {
            "trigger_id": "t",
            "view": modal(
                input_block(select(option_groups=[{"label": plain("L"), "options": [option("a")]}]))
            ),
        },
        "invalid_arguments",
        "/view/blocks/0/element",
        "must provide exactly one of `options` or `option_groups`",
    ),
    (
        "an initial option that is not among the options",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(select(initial_option=option("z"))))},
        "invalid_arguments",
        "/view/blocks/0/element/initial_option",
        "must match one of the provided options",
    ),
    (
        "initial options of checkboxes that are not among the options",
        "views.open",
        {
            "trigger_id": "t",
            "view": modal(
                input_block(
                    {
                        "type": "checkboxes",
                        "action_id": "c",
                        "options": [option("a")],
                        "initial_options": [option("a"), option("b")],
                    }
                )
            ),
        },
        "invalid_arguments",
        "/view/blocks/0/element/initial_options/1",
        "must match one of the provided options",
    ),
    (
        "a select placeholder of 151 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(select(placeholder=plain("p" * 151))))},
        "invalid_arguments",
        "/view/blocks/0/element/placeholder/text",
        "must be less than 151 characters",
    ),
    (
        "a confirm title of 101 characters",
        "chat.postMessage",
        msg(actions(button("a", confirm=confirm(title=plain("T" * 101))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/title/text",
        "must be less than 101 characters",
    ),
    (
        "a confirm text of 301 characters",
        "chat.postMessage",
        msg(actions(button("a", confirm=confirm(text=mrkdwn("T" * 301))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/text/text",
        "must be less than 301 characters",
    ),
    (
        "a confirm button of 31 characters",
        "chat.postMessage",
        msg(actions(button("a", confirm=confirm(deny=plain("D" * 31))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/deny/text",
        "must be less than 31 characters",
    ),
    (
        "a confirm with no deny",
        "chat.postMessage",
        msg(actions(button("a", confirm={k: v for k, v in confirm().items() if k != "deny"}))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm",
        "missing required field: deny",
    ),
    (
        "a modal title of 25 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(section(), title=plain("T" * 25))},
        "invalid_arguments",
        "/view/title/text",
        "must be less than 25 characters",
    ),
    (
        "a modal title in mrkdwn",
        "views.open",
        {"trigger_id": "t", "view": modal(section(), title=mrkdwn("*T*"))},
        "invalid_arguments",
        "/view/title/type",
        "must be plain_text",
    ),
    (
        "a submit of 25 characters",
        "views.update",
        {"view_id": "V1", "view": modal(section(), submit=plain("S" * 25))},
        "invalid_arguments",
        "/view/submit/text",
        "must be less than 25 characters",
    ),
    (
        "a close of 25 characters",
        "views.push",
        {"trigger_id": "t", "view": modal(section(), close=plain("C" * 25))},
        "invalid_arguments",
        "/view/close/text",
        "must be less than 25 characters",
    ),
    (
        "a modal with no title",
        "views.open",
        {"trigger_id": "t", "view": {"type": "modal", "blocks": [section()]}},
        "invalid_arguments",
        "/view",
        "missing required field: title",
    ),
    (
        "an input block in a modal with no submit",
        "views.open",
        {
            "trigger_id": "t",
            "view": {
                "type": "modal",
                "title": plain("T"),
                "blocks": [section(), input_block(text_input())],
            },
        },
        "invalid_arguments",
        "/view/blocks/1",
        "must define `submit` to use an `input` block in modals",
    ),
    (
        "private_metadata of 3001 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(section(), private_metadata="m" * 3001)},
        "invalid_arguments",
        "/view/private_metadata",
        "must be less than 3001 characters",
    ),
    (
        "a callback_id of 256 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(section(), callback_id="c" * 256)},
        "invalid_arguments",
        "/view/callback_id",
        "must be less than 256 characters",
    ),
    (
        "an external_id of 256 characters",
        "views.publish",
        {
            "user_id": "U1",
            "view": {"type": "home", "blocks": [section()], "external_id": "e" * 256},
        },
        "invalid_arguments",
        "/view/external_id",
        "must be less than 256 characters",
    ),
    (
        "a modal published as a Home tab",
        "views.publish",
        {"user_id": "U1", "view": modal(section())},
        "invalid_arguments",
        "/view/type",
        "unsupported type: modal",
    ),
    (
        "an input label of 2001 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(text_input(), label="L" * 2001))},
        "invalid_arguments",
        "/view/blocks/0/label/text",
        "must be less than 2001 characters",
    ),
    (
        "an input hint of 2001 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(text_input(), hint=plain("H" * 2001)))},
        "invalid_arguments",
        "/view/blocks/0/hint/text",
        "must be less than 2001 characters",
    ),
    (
        "an input label in mrkdwn",
        "views.open",
        {
            "trigger_id": "t",
            "view": modal({"type": "input", "label": mrkdwn("*L*"), "element": text_input()}),
        },
        "invalid_arguments",
        "/view/blocks/0/label/type",
        "must be plain_text",
    ),
    (
        "an input block with no element",
        "views.open",
        {"trigger_id": "t", "view": modal({"type": "input", "label": plain("L")})},
        "invalid_arguments",
        "/view/blocks/0",
        "missing required field: element",
    ),
    (
        "a text input that allows 3001 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(text_input(max_length=3001)))},
        "invalid_arguments",
        "/view/blocks/0/element/max_length",
        "must be between 1 and 3000",
    ),
    (
        "a text input placeholder of 151 characters",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block(text_input(placeholder=plain("p" * 151))))},
        "invalid_arguments",
        "/view/blocks/0/element/placeholder/text",
        "must be less than 151 characters",
    ),
    (
        "a date picker with an initial date not in YYYY-MM-DD",
        "views.open",
        {
            "trigger_id": "t",
            "view": modal(
                input_block({"type": "datepicker", "action_id": "d", "initial_date": "06/05/2024"})
            ),
        },
        "invalid_arguments",
        "/view/blocks/0/element/initial_date",
        "must be a valid date in the format YYYY-MM-DD",
    ),
    (
        "a number input without is_decimal_allowed",
        "views.open",
        {"trigger_id": "t", "view": modal(input_block({"type": "number_input", "action_id": "n"}))},
        "invalid_arguments",
        "/view/blocks/0/element",
        "missing required field: is_decimal_allowed",
    ),
    (
        "two input blocks of one modal share a block_id",
        "views.open",
        {
            "trigger_id": "t",
            "view": modal(
                input_block(text_input("a"), block_id="f"),
                input_block(text_input("b"), block_id="f"),
            ),
        },
        "invalid_arguments",
        "/view/blocks/1/block_id",
        "it must be unique in the message or view",
    ),
    (
        "a message text of 4001 characters in chat.update",
        "chat.update",
        {"channel": "C1", "ts": "1.1", "text": "t" * 4001},
        "msg_too_long",
        "",
        "",
    ),
]


@pytest.mark.parametrize(
    ("method", "args", "error", "pointer", "message"),
    [pytest.param(*row[1:], id=row[0]) for row in BAD],
)
def test_known_bad_surfaces_are_refused_with_slacks_error_and_pointer(
    method: str, args: dict[str, Any], error: str, pointer: str, message: str
) -> None:
    verdict = check_call(method, args)
    assert verdict.refusal is not None, "accepted"
    assert verdict.refusal["error"] == error
    assert verdict.violations and all(v.startswith(f"{method}: ") for v in verdict.violations)
    if not pointer:
        return
    shown = verdict.refusal["response_metadata"]["messages"]
    assert any(
        m.startswith("[ERROR] ") and message in m and m.endswith(f"[json-pointer:{pointer}]")
        for m in shown
    ), shown


def test_a_problem_reads_as_slack_writes_it() -> None:
    problems = validate("message", msg(actions(button("a"), button("b", "B" * 76))))
    assert [str(p) for p in problems] == [
        "must be less than 76 characters [json-pointer:/blocks/0/elements/1/text/text]"
    ]
    body = error_body("message", problems)
    assert body == {
        "ok": False,
        "error": "invalid_blocks",
        "errors": ["must be less than 76 characters [json-pointer:/blocks/0/elements/1/text/text]"],
        "response_metadata": {
            "messages": [
                "[ERROR] must be less than 76 characters "
                "[json-pointer:/blocks/0/elements/1/text/text]"
            ]
        },
    }


def test_every_limit_is_inclusive() -> None:
    """What sits exactly at each limit is accepted."""
    at_limits = msg(
        section("x" * 3000, block_id="b" * 255),
        {"type": "section", "fields": [mrkdwn("f" * 2000)] * 10},
        {"type": "header", "text": plain("h" * 150)},
        actions(*[button(f"b{i}", "B" * 75, value="v" * 2000) for i in range(25)]),
        {"type": "context", "elements": [mrkdwn("c")] * 10},
        *[{"type": "divider"} for _ in range(45)],
    )
    assert validate("message", at_limits) == []
    view = modal(
        input_block(text_input(max_length=3000), label="L" * 2000, hint=plain("H" * 2000)),
        input_block(
            select(options=[option("v" * 150, "t" * 75)] + [option(f"o{i}") for i in range(99)]),
            block_id="s",
        ),
        *[{"type": "divider"} for _ in range(98)],
        title=plain("T" * 24),
        submit=plain("S" * 24),
        close=plain("C" * 24),
        private_metadata="m" * 3000,
        callback_id="c" * 255,
    )
    assert validate("modal", view) == []


def test_the_same_action_id_in_two_blocks_is_allowed() -> None:
    """Uniqueness is per block for action_id (the checklist's Complete buttons rely on it)."""
    assert validate("message", msg(actions(button("go")), actions(button("go")))) == []


def test_message_text_past_40000_characters_is_accepted_and_noted_as_truncated() -> None:
    verdict = check_call("chat.postMessage", {"channel": "C1", "text": "t" * 40001})
    assert verdict.refusal is None
    assert verdict.violations == [
        "chat.postMessage: text has 40001 characters; Slack truncates it at 40,000"
    ]


def test_blocks_without_a_text_fallback_are_noted() -> None:
    verdict = check_call("chat.postMessage", {"channel": "C1", "blocks": [section()]})
    assert verdict.refusal is None
    assert len(verdict.violations) == 1 and "without a top-level text" in verdict.violations[0]


def test_response_url_posts_are_messages() -> None:
    body = {
        "response_type": "ephemeral",
        "text": "t",
        "blocks": [actions(button("a"), button("a"))],
    }
    assert [p.pointer for p in check_response(body)] == ["/blocks/0/elements/1/action_id"]


@pytest.mark.parametrize(
    ("request_type", "body", "pointer"),
    [
        ("slash_commands", {"text": "t", "blocks": [section("x" * 3001)]}, "/blocks/0/text/text"),
        ("slash_command", {"text": "t" * 4001}, "/text"),
        (
            "view_submission",
            {"response_action": "update", "view": modal(section(), title=plain("T" * 25))},
            "/view/title/text",
        ),
        (
            "view_submission",
            {
                "response_action": "push",
                "view": modal(section(block_id="a"), section(block_id="a")),
            },
            "/view/blocks/1/block_id",
        ),
        ("view_submission", {"response_action": "close"}, "/response_action"),
        ("view_submission", {"response_action": "errors", "errors": {}}, "/errors"),
        ("view_submission", {"response_action": "update"}, ""),
    ],
)
def test_acknowledgement_bodies_are_read_as_slack_reads_them(
    request_type: str, body: dict[str, Any], pointer: str
) -> None:
    problems = validate_ack(request_type, body)
    assert pointer in [p.pointer for p in problems], problems


def test_errors_must_name_input_blocks_of_the_submitted_view() -> None:
    submitted = modal(input_block(text_input(), block_id="title"), section(block_id="about"))
    body = {"response_action": "errors", "errors": {"title": "Too short", "about": "No"}}
    assert validate_ack("view_submission", body, submitted) == [
        Problem("/errors/about", "no input block has this block_id")
    ]


def test_acknowledgements_that_slack_accepts() -> None:
    assert validate_ack("slash_commands", {"response_type": "ephemeral", "text": "ok"}) == []
    assert (
        validate_ack("view_submission", {"response_action": "errors", "errors": {"t": "x"}}) == []
    )
    assert validate_ack("view_submission", {"response_action": "clear"}) == []
    assert validate_ack("block_actions", b"") == []
    assert validate_ack("events_api", {"anything": 1}) == []


def test_a_view_is_told_apart_by_its_type() -> None:
    assert validate_view({"type": "home", "blocks": []}) == []
    assert validate_view({"type": "nope"}) == [Problem("/view/type", "unsupported type: nope")]
    assert validate_view(None) == [Problem("/view", "must provide an object")]


# --- known good: what leakbot really sends -----------------------------------------------------


def _as_view(view: Any) -> dict[str, Any]:
    return dict(view.to_dict())


def test_leakbot_surfaces_are_accepted(make_incident: Callable[..., Incident]) -> None:
    incident = make_incident(3)
    spec = incident.playbook.steps[0]
    drafts = [
        type(
            "D",
            (),
            dict(
                id=7,
                kind="breach_notice",
                locale="en",
                version=1,
                title="T",
                status="draft",
                approved_by=None,
            ),
        )()
    ]
    messages = [
        checklist_message(incident, TZ, notice_count=2, now=datetime.now(UTC)),
        kickoff_message(incident, "Supplier", TZ),
        help_message(),
        notices_message(incident, drafts, can_approve=True),
    ]
    for message in messages:
        kwargs = {"channel": "C1", **message.as_kwargs()}
        assert check_call("chat.postMessage", kwargs).violations == [], message.text
    views = [
        ("views.open", report_modal([Supplier(id="s1", name="S1")], [("a", "A"), ("b", "B")])),
        ("views.open", step_inputs_modal(incident, spec, {})),
        ("views.push", reason_modal(incident, spec, "skip")),
        ("views.update", working_view("Working", "Please wait…")),
        ("views.publish", home_view([incident], [], TZ)),
    ]
    for method, view in views:
        verdict = check_call(method, {"view": _as_view(view), "trigger_id": "t"})
        assert verdict.violations == [], (method, verdict.violations)


def test_the_notices_list_before_the_fix_is_refused(make_incident: Callable[..., Incident]) -> None:
    """The defect this stand-in exists to catch: two pull buttons sharing one action_id."""
    drafts = [
        type(
            "D",
            (),
            dict(
                id=7,
                kind="breach_notice",
                locale="en",
                version=1,
                title="T",
                status="draft",
                approved_by=None,
            ),
        )()
    ]
    blocks = notices_message(make_incident(3), drafts, can_approve=False).as_kwargs()["blocks"]
    broken = copy.deepcopy(blocks)
    for block in broken:
        for element in block.get("elements", []):
            if "action_id" in element:
                element["action_id"] = "notice_pull"
    verdict = check_call(
        "chat.postEphemeral", {"channel": "C1", "user": "U1", "text": "t", "blocks": broken}
    )
    assert verdict.refusal is not None and verdict.refusal["error"] == "invalid_blocks"
    assert json.dumps(verdict.refusal).count("it must be unique in its block") == 2
