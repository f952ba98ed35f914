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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Surface = Literal["message", "modal", "home"]
SURFACES: tuple[Surface, ...] = ("message", "modal", "home")

# --- limits (Block Kit reference) --------------------------------------------------------------

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MAX_ID = 255  # block_id, action_id, callback_id, external_id
MAX_TEXT = 3000  # any text object
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_LABEL = 2000  # input label and hint
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_ACCESSIBILITY_LABEL = 75
MAX_PLACEHOLDER = 150
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTION_DESCRIPTION = 75
MAX_OPTIONS = 100  # select menus, and options of one option group
MAX_OPTION_GROUPS = 100
MAX_GROUP_LABEL = 75
MAX_OVERFLOW_OPTIONS = 5
MAX_CHOICE_OPTIONS = 10  # checkboxes and radio buttons
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
MAX_VIEW_TITLE = 24  # title, submit and close of a modal
MAX_PRIVATE_METADATA = 3000
MAX_INPUT_LENGTH = 3000  # min_length / max_length of a plain-text input
MAX_ALT_TEXT = 2000
MAX_IMAGE_TITLE = 2000
MAX_MARKDOWN_BLOCK = 12000

# Message text (chat.* reference). chat.update answers msg_too_long past 4,000 characters;
# chat.postEphemeral documents msg_too_long without a figure, so the same 4,000 is used.
# chat.postMessage truncates text past 40,000 characters rather than refusing it.
MAX_MESSAGE_TEXT = 4000
TRUNCATED_AT = 40000

# --- shapes: the fields each object may carry, the fields it must carry -------------------------

_BLOCK = ("type", "block_id")
BLOCK_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "section": (frozenset({*_BLOCK, "text", "fields", "accessory", "expand"}), frozenset()),
    "actions": (frozenset({*_BLOCK, "elements"}), frozenset({"elements"})),
    "context": (frozenset({*_BLOCK, "elements"}), frozenset({"elements"})),
    "divider": (frozenset(_BLOCK), frozenset()),
    "header": (frozenset({*_BLOCK, "text"}), frozenset({"text"})),
    "input": (
        frozenset({*_BLOCK, "label", "element", "dispatch_action", "hint", "optional"}),
        frozenset({"label", "element"}),
    ),
    "image": (
        frozenset({*_BLOCK, "image_url", "slack_file", "alt_text", "title"}),
        frozenset({"alt_text"}),
    ),
    "rich_text": (frozenset({*_BLOCK, "elements"}), frozenset({"elements"})),
    "markdown": (frozenset({*_BLOCK, "text"}), frozenset({"text"})),
    "file": (frozenset({*_BLOCK, "external_id", "source"}), frozenset({"external_id", "source"})),
    "video": (
        frozenset(
            {
                *_BLOCK,
                "alt_text",
                "author_name",
                "description",
                "provider_icon_url",
                "provider_name",
                "title",
                "title_url",
                "thumbnail_url",
                "video_url",
            }
        ),
        frozenset({"alt_text", "title", "thumbnail_url", "video_url"}),
    ),
}
#: Blocks Slack shows only in some surfaces (the rest appear in all three).
BLOCK_SURFACES: dict[str, frozenset[str]] = {
    "file": frozenset({"message"}),
    "markdown": frozenset({"message"}),
}

_ACT = ("type", "action_id")
_SELECT = (*_ACT, "confirm", "focus_on_load", "placeholder")
_MULTI = (*_SELECT, "max_selected_items")
_TYPED_INPUT = (*_ACT, "initial_value", "dispatch_action_config", "focus_on_load", "placeholder")
ELEMENT_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "button": (
        frozenset({*_ACT, "text", "url", "value", "style", "confirm", "accessibility_label"}),
        frozenset({"text"}),
    ),
    "overflow": (frozenset({*_ACT, "options", "confirm"}), frozenset({"options"})),
    "static_select": (
        frozenset({*_SELECT, "options", "option_groups", "initial_option"}),
        frozenset(),
    ),
    "multi_static_select": (
        frozenset({*_MULTI, "options", "option_groups", "initial_options"}),
        frozenset(),
    ),
    "external_select": (frozenset({*_SELECT, "initial_option", "min_query_length"}), frozenset()),
    "multi_external_select": (
        frozenset({*_MULTI, "initial_options", "min_query_length"}),
        frozenset(),
    ),
    "users_select": (frozenset({*_SELECT, "initial_user"}), frozenset()),
    "multi_users_select": (frozenset({*_MULTI, "initial_users"}), frozenset()),
    "conversations_select": (
        frozenset(
            {
                *_SELECT,
                "initial_conversation",
                "default_to_current_conversation",
                "response_url_enabled",
                "filter",
            }
        ),
        frozenset(),
    ),
    "multi_conversations_select": (
        frozenset({*_MULTI, "initial_conversations", "default_to_current_conversation", "filter"}),
        frozenset(),
    ),
    "channels_select": (
        frozenset({*_SELECT, "initial_channel", "response_url_enabled"}),
        frozenset(),
    ),
    "multi_channels_select": (frozenset({*_MULTI, "initial_channels"}), frozenset()),
    "datepicker": (frozenset({*_SELECT, "initial_date"}), frozenset()),
    "timepicker": (frozenset({*_SELECT, "initial_time", "timezone"}), frozenset()),
    "datetimepicker": (
        frozenset({*_ACT, "initial_date_time", "confirm", "focus_on_load"}),
        frozenset(),
    ),
    "plain_text_input": (
        frozenset({*_TYPED_INPUT, "multiline", "min_length", "max_length"}),
        frozenset(),
    ),
    "number_input": (
        frozenset({*_TYPED_INPUT, "is_decimal_allowed", "min_value", "max_value"}),
        frozenset({"is_decimal_allowed"}),
    ),
    "url_text_input": (frozenset(_TYPED_INPUT), frozenset()),
    "email_text_input": (frozenset(_TYPED_INPUT), frozenset()),
    "rich_text_input": (frozenset(_TYPED_INPUT), frozenset()),
    "checkboxes": (
        frozenset({*_ACT, "options", "initial_options", "confirm", "focus_on_load"}),
        frozenset({"options"}),
    ),
    "radio_buttons": (
        frozenset({*_ACT, "options", "initial_option", "confirm", "focus_on_load"}),
        frozenset({"options"}),
    ),
    "file_input": (frozenset({*_ACT, "filetypes", "max_files"}), frozenset()),
    "image": (frozenset({"type", "image_url", "slack_file", "alt_text"}), frozenset({"alt_text"})),
    "workflow_button": (
        frozenset({*_ACT, "text", "workflow", "style", "accessibility_label"}),
        frozenset({"text", "workflow"}),
    ),
}

_SELECTS = frozenset(
    {"static_select", "external_select", "users_select", "conversations_select", "channels_select"}
)
_MULTI_SELECTS = frozenset(f"multi_{s}" for s in _SELECTS)
#: Which elements each block accepts (section accessory, actions and input elements).
SECTION_ACCESSORIES = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "image",
        "overflow",
        "radio_buttons",
        "timepicker",
        "workflow_button",
        *_SELECTS,
        *_MULTI_SELECTS,
    }
)
ACTIONS_ELEMENTS = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "overflow",
        "radio_buttons",
        "rich_text_input",
        "timepicker",
        "workflow_button",
        *_SELECTS,
        *_MULTI_SELECTS,
    }
)
INPUT_ELEMENTS = frozenset(
    {
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "file_input",
        "number_input",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "timepicker",
        "url_text_input",
        *_SELECTS,
        *_MULTI_SELECTS,
    }
)
CONTEXT_ELEMENTS = frozenset({"image", "plain_text", "mrkdwn"})

VIEW_FIELDS: dict[str, frozenset[str]] = {
    "modal": frozenset(
        {
            "type",
            "title",
            "blocks",
            "close",
            "submit",
            "private_metadata",
            "callback_id",
            "clear_on_close",
            "notify_on_close",
            "external_id",
            "submit_disabled",
        }
    ),
    "home": frozenset({"type", "blocks", "private_metadata", "callback_id", "external_id"}),
}
TEXT_FIELDS = {
    "plain_text": frozenset({"type", "text", "emoji"}),
    "mrkdwn": frozenset({"type", "text", "verbatim"}),
}
OPTION_FIELDS = frozenset({"text", "value", "description", "url"})
CONFIRM_FIELDS = frozenset({"title", "text", "confirm", "deny", "style"})
BUTTON_STYLES = frozenset({"primary", "danger"})
RESPONSE_ACTIONS = frozenset({"errors", "update", "push", "clear"})

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Problem:
    """One thing Slack refuses, at the JSON pointer of the value that breaks the rule."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} [json-pointer:{self.pointer}]"


def error_body(kind: Surface, problems: Sequence[Problem]) -> dict[str, Any]:
    """Slack's answer to a call carrying ``problems``: ``invalid_blocks`` for a message,
    ``invalid_arguments`` for a view, each problem in ``response_metadata.messages``."""
    return {
        "ok": False,
        "error": "invalid_blocks" if kind == "message" else "invalid_arguments",
        "errors": [str(p) for p in problems],
        "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
    }


def validate(kind: Surface, payload: Mapping[str, Any], at: str | None = None) -> list[Problem]:
    """Every problem in a surface: a message's ``blocks`` (``payload`` holds them, as a
    chat.postMessage call, a response_url post or a slash command's answer does) or a view
    (``payload`` is the view). ``at`` is the pointer of the payload: "" for a message, ``/view``
    for a view unless given."""
    if kind == "message":
        walker = _Walker("message")
        blocks = payload.get("blocks")
        if blocks is not None:
            walker.blocks(f"{at or ''}/blocks", blocks)
        return walker.problems
    if kind not in VIEW_FIELDS:
        raise ValueError(f"unknown surface {kind!r}")
    walker = _Walker(kind)
    walker.view(at if at is not None else "/view", payload)
    return walker.problems


def validate_view(view: Any, at: str = "/view") -> list[Problem]:
    """A view of either type, told apart by its ``type`` (a wrong type is a problem)."""
    if not isinstance(view, Mapping):
        return [Problem(at, "must provide an object")]
    kind = view.get("type")
    if kind not in VIEW_FIELDS:
        return [Problem(f"{at}/type", f"unsupported type: {kind}")]
    return validate(kind, view, at)


def validate_ack(
    request_type: str, body: Any, submitted: Mapping[str, Any] | None = None
) -> list[Problem]:
    """The body leakbot answered a request with, as Slack reads it.

    ``request_type`` is what Slack sent: ``slash_commands`` (or ``slash_command``) for a
    command, an interaction payload's ``type`` (``block_actions``, ``view_submission``,
    ``view_closed``, ``shortcut``…), or ``interactive`` / ``events_api`` for a Socket Mode
    envelope. A command's answer is a message; a ``view_submission`` answer may carry a
    ``response_action``; other interactions and events read no body. ``submitted`` is the
    view a ``view_submission`` came from: the keys of ``response_action: errors`` must name its
    input blocks, or Slack has nowhere to show them.
    """
    if body is None or body == "" or body == {}:
        return []
    if request_type in ("slash_commands", "slash_command"):
        if isinstance(body, str):
            return _message_text_problems("", body)
        if not isinstance(body, Mapping):
            return [Problem("", "must provide an object")]
        return validate("message", body) + _message_text_problems("/text", body.get("text"))
    if request_type == "view_submission" and isinstance(body, Mapping):
        return _response_action(body, submitted)
    return []


def message_text_problems(text: Any, *, at: str = "/text") -> list[Problem]:
    """A message's top-level ``text`` past the 4,000 characters chat.update and
    chat.postEphemeral take (``msg_too_long``)."""
    return _message_text_problems(at, text)


def length(text: str) -> int:
    """``text``'s length in UTF-16 code units (never less than Slack counts)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _message_text_problems(at: str, text: Any) -> list[Problem]:
    if isinstance(text, str) and length(text) > MAX_MESSAGE_TEXT:
        return [Problem(at, f"must be less than {MAX_MESSAGE_TEXT + 1} characters")]
    return []


def _response_action(
    body: Mapping[str, Any], submitted: Mapping[str, Any] | None = None
) -> list[Problem]:
    action = body.get("response_action")
    if action is None:
        return [Problem("", f"invalid additional property: {k}") for k in body]
    if action not in RESPONSE_ACTIONS:
        return [Problem("/response_action", f"unsupported type: {action}")]
    allowed = {"response_action", "errors" if action == "errors" else "view"}
    problems = [Problem("", f"invalid additional property: {k}") for k in body if k not in allowed]
    if action == "errors":
        errors = body.get("errors")
        if not isinstance(errors, Mapping) or not errors:
            problems.append(Problem("/errors", "must provide an object"))
        else:
            problems += [
                Problem(f"/errors/{_escape(str(k))}", "must be a string")
                for k, v in errors.items()
                if not isinstance(v, str) or not v
            ]
            if submitted is not None:
                inputs = {
                    b.get("block_id")
                    for b in submitted.get("blocks") or ()
                    if isinstance(b, Mapping) and b.get("type") == "input"
                }
                problems += [
                    Problem(f"/errors/{_escape(str(k))}", "no input block has this block_id")
                    for k in errors
                    if k not in inputs
                ]
    elif action in ("update", "push"):
        view = body.get("view")
        if view is None:
            problems.append(Problem("", "missing required field: view"))
        else:
            problems += validate_view(view)
    return problems


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Walker:
    """Walks one surface, collecting problems with their pointers."""

    def __init__(self, surface: Surface) -> None:
        self.surface = surface
        self.problems: list[Problem] = []
        self.block_ids: dict[str, str] = {}

    def add(self, at: str, message: str) -> None:
        self.problems.append(Problem(at, message))

    # -- generic checks ----------------------------------------------------------------------

    def obj(self, at: str, value: Any) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(at, "must provide an object")
            return None
        return value

    def fields(
        self, at: str, value: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str]
    ) -> None:
        allowed = frozenset(allowed)
        for key in value:
            if key not in allowed:
                self.add(at, f"invalid additional property: {key}")
        for key in required:
            if value.get(key) is None:
                self.add(at, f"missing required field: {key}")

    def string(self, at: str, value: Any, limit: int, *, empty: bool = False) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.add(at, "must be a string")
        elif not value and not empty:
            self.add(at, "must be more than 0 characters")
        elif length(value) > limit:
            self.add(at, f"must be less than {limit + 1} characters")

    def array(self, at: str, value: Any, limit: int, *, minimum: int = 1) -> list[Any]:
        if not isinstance(value, list):
            self.add(at, "must provide an array")
            return []
        if len(value) > limit:
            self.add(at, f"no more than {limit} items allowed")
        elif len(value) < minimum:
            self.add(at, f"must provide at least {minimum} item{'s' if minimum > 1 else ''}")
        return value

    def flag(self, at: str, value: Any) -> None:
        if value is not None and not isinstance(value, bool):
            self.add(at, "must be a boolean")

    def text(self, at: str, value: Any, limit: int, *, plain_only: bool = False) -> None:
        """A text object; ``limit`` is the field's own limit (never above 3,000)."""
        text = self.obj(at, value)
        if text is None:
            return
        kind = text.get("type")
        if kind not in TEXT_FIELDS:
            self.add(f"{at}/type", f"unsupported type: {kind}")
            return
        if plain_only and kind != "plain_text":
            self.add(f"{at}/type", "must be plain_text")
        self.fields(at, text, TEXT_FIELDS[kind], ("text",))
        self.string(f"{at}/text", text.get("text"), min(limit, MAX_TEXT))
        self.flag(f"{at}/emoji", text.get("emoji"))
        self.flag(f"{at}/verbatim", text.get("verbatim"))

    def identifier(self, at: str, value: Any) -> None:
        self.string(at, value, MAX_ID)

    # -- views -------------------------------------------------------------------------------

    def view(self, at: str, value: Any) -> None:
        view = self.obj(at, value)
        if view is None:
            return
        if view.get("type") != self.surface:
            self.add(f"{at}/type", f"unsupported type: {view.get('type')}")
            return
        required = ("type", "title", "blocks") if self.surface == "modal" else ("type", "blocks")
        self.fields(at, view, VIEW_FIELDS[self.surface], required)
        if self.surface == "modal":
            for key in ("title", "close", "submit"):
                if view.get(key) is not None:
                    self.text(f"{at}/{key}", view[key], MAX_VIEW_TITLE, plain_only=True)
        self.string(
            f"{at}/private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA, empty=True
        )
        self.identifier(f"{at}/callback_id", view.get("callback_id"))
        self.identifier(f"{at}/external_id", view.get("external_id"))
        for key in ("clear_on_close", "notify_on_close", "submit_disabled"):
            self.flag(f"{at}/{key}", view.get(key))
        blocks = view.get("blocks")
        if blocks is not None:
            self.blocks(f"{at}/blocks", blocks)
        if (
            self.surface == "modal"
            and view.get("submit") is None
            and isinstance(blocks, list)
            and any(isinstance(b, Mapping) and b.get("type") == "input" for b in blocks)
        ):
            first = next(
                i
                for i, b in enumerate(blocks)
                if isinstance(b, Mapping) and b.get("type") == "input"
            )
            self.add(
                f"{at}/blocks/{first}", "must define `submit` to use an `input` block in modals"
            )

    # -- blocks ------------------------------------------------------------------------------

    def blocks(self, at: str, value: Any) -> None:
        blocks = self.array(at, value, MAX_BLOCKS[self.surface], minimum=0)
        for i, block in enumerate(blocks):
            self.block(f"{at}/{i}", block)

    def block(self, at: str, value: Any) -> None:
        block = self.obj(at, value)
        if block is None:
            return
        kind = block.get("type")
        if kind not in BLOCK_FIELDS:
            self.add(f"{at}/type", f"unsupported type: {kind}")
            return
        if self.surface not in BLOCK_SURFACES.get(kind, SURFACES):
            self.add(f"{at}/type", f"unsupported type: {kind}")
            return
        allowed, required = BLOCK_FIELDS[kind]
        self.fields(at, block, allowed, required)
        block_id = block.get("block_id")
        if block_id is not None:
            self.identifier(f"{at}/block_id", block_id)
            if isinstance(block_id, str):
                if block_id in self.block_ids:
                    self.add(
                        f"{at}/block_id",
                        f"block_id `{block_id}` is already used at {self.block_ids[block_id]}; "
                        "it must be unique in the message or view",
                    )
                else:
                    self.block_ids[block_id] = at
        getattr(self, f"_{kind}")(at, block)

    def _section(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("text") is None and block.get("fields") is None:
            self.add(f"{at}/type", "must define either `text` or `fields`")
        if block.get("text") is not None:
            self.text(f"{at}/text", block["text"], MAX_SECTION_TEXT)
        if block.get("fields") is not None:
            for i, f in enumerate(self.array(f"{at}/fields", block["fields"], MAX_FIELDS)):
                self.text(f"{at}/fields/{i}", f, MAX_FIELD_TEXT)
        self.flag(f"{at}/expand", block.get("expand"))
        if block.get("accessory") is not None:
            self.elements(at, [("accessory", block["accessory"])], SECTION_ACCESSORIES)

    def _actions(self, at: str, block: Mapping[str, Any]) -> None:
        elements = self.array(f"{at}/elements", block.get("elements"), MAX_ACTIONS_ELEMENTS)
        self.elements(at, [(f"elements/{i}", e) for i, e in enumerate(elements)], ACTIONS_ELEMENTS)

    def _context(self, at: str, block: Mapping[str, Any]) -> None:
        elements = self.array(f"{at}/elements", block.get("elements"), MAX_CONTEXT_ELEMENTS)
        for i, element in enumerate(elements):
            here = f"{at}/elements/{i}"
            e = self.obj(here, element)
            if e is None:
                continue
            kind = e.get("type")
            if kind not in CONTEXT_ELEMENTS:
                self.add(f"{here}/type", f"unsupported type: {kind}")
            elif kind == "image":
                self.element(here, e)
            else:
                self.text(here, e, MAX_TEXT)

    def _divider(self, at: str, block: Mapping[str, Any]) -> None:
        pass

    def _header(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("text") is not None:
            self.text(f"{at}/text", block["text"], MAX_HEADER_TEXT, plain_only=True)

    def _input(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("label") is not None:
            self.text(f"{at}/label", block["label"], MAX_LABEL, plain_only=True)
        if block.get("hint") is not None:
            self.text(f"{at}/hint", block["hint"], MAX_LABEL, plain_only=True)
        self.flag(f"{at}/optional", block.get("optional"))
        self.flag(f"{at}/dispatch_action", block.get("dispatch_action"))
        element = block.get("element")
        if element is not None:
            self.elements(at, [("element", element)], INPUT_ELEMENTS)
            if (
                block.get("dispatch_action") is True
                and isinstance(element, Mapping)
                and element.get("type") == "file_input"
            ):
                self.add(f"{at}/element/type", "unsupported type: file_input")

    def _image(self, at: str, block: Mapping[str, Any]) -> None:
        self._image_source(at, block)
        self.string(f"{at}/alt_text", block.get("alt_text"), MAX_ALT_TEXT)
        if block.get("title") is not None:
            self.text(f"{at}/title", block["title"], MAX_IMAGE_TITLE, plain_only=True)

    def _image_source(self, at: str, image: Mapping[str, Any]) -> None:
        if image.get("image_url") is None and image.get("slack_file") is None:
            self.add(at, "missing required field: image_url")
        self.string(f"{at}/image_url", image.get("image_url"), MAX_URL)

    def _rich_text(self, at: str, block: Mapping[str, Any]) -> None:
        self.array(f"{at}/elements", block.get("elements"), MAX_BLOCKS["modal"], minimum=0)

    def _markdown(self, at: str, block: Mapping[str, Any]) -> None:
        self.string(f"{at}/text", block.get("text"), MAX_MARKDOWN_BLOCK)

    def _file(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("source") not in (None, "remote"):
            self.add(f"{at}/source", f"unsupported type: {block.get('source')}")

    def _video(self, at: str, block: Mapping[str, Any]) -> None:
        self.string(f"{at}/video_url", block.get("video_url"), MAX_URL)
        self.string(f"{at}/thumbnail_url", block.get("thumbnail_url"), MAX_URL)

    # -- elements ----------------------------------------------------------------------------

    def elements(self, at: str, items: Sequence[tuple[str, Any]], allowed: frozenset[str]) -> None:
        """Elements of one block: each of an allowed type, each ``action_id`` unique."""
        seen: dict[str, str] = {}
        for where, element in items:
            here = f"{at}/{where}"
            e = self.obj(here, element)
            if e is None:
                continue
            kind = e.get("type")
            if kind not in allowed:
                self.add(f"{here}/type", f"unsupported type: {kind}")
                continue
            self.element(here, e)
            action_id = e.get("action_id")
            if isinstance(action_id, str):
                if action_id in seen:
                    self.add(
                        f"{here}/action_id",
                        f"action_id `{action_id}` is already used at {seen[action_id]}; "
                        "it must be unique in its block",
                    )
                else:
                    seen[action_id] = here

    def element(self, at: str, e: Mapping[str, Any]) -> None:
        kind = str(e.get("type"))
        allowed, required = ELEMENT_FIELDS[kind]
        self.fields(at, e, allowed, required)
        if e.get("action_id") is not None:
            self.identifier(f"{at}/action_id", e["action_id"])
        if e.get("placeholder") is not None:
            self.text(f"{at}/placeholder", e["placeholder"], MAX_PLACEHOLDER, plain_only=True)
        if e.get("confirm") is not None:
            self.confirm(f"{at}/confirm", e["confirm"])
        self.flag(f"{at}/focus_on_load", e.get("focus_on_load"))
        if e.get("max_selected_items") is not None and not (
            isinstance(e["max_selected_items"], int) and e["max_selected_items"] >= 1
        ):
            self.add(f"{at}/max_selected_items", "must be greater than or equal to 1")
        check = getattr(self, f"_el_{kind}", None)
        if check is not None:
            check(at, e)

    def _el_button(self, at: str, e: Mapping[str, Any]) -> None:
        if e.get("text") is not None:
            self.text(f"{at}/text", e["text"], MAX_BUTTON_TEXT, plain_only=True)
        self.string(f"{at}/value", e.get("value"), MAX_BUTTON_VALUE)
        self.string(f"{at}/url", e.get("url"), MAX_URL)
        self.string(
            f"{at}/accessibility_label", e.get("accessibility_label"), MAX_ACCESSIBILITY_LABEL
        )
        if e.get("style") is not None and e["style"] not in BUTTON_STYLES:
            self.add(f"{at}/style", f"must be a valid enum value: {e['style']}")

    _el_workflow_button = _el_button

    def _el_overflow(self, at: str, e: Mapping[str, Any]) -> None:
        options = self.array(f"{at}/options", e.get("options"), MAX_OVERFLOW_OPTIONS)
        self.options(f"{at}/options", options, plain_only=True, urls=True)

    def _el_static_select(self, at: str, e: Mapping[str, Any]) -> None:
        offered = self._offered(at, e)
        self._initial(at, e, offered, multi=False)

    def _el_multi_static_select(self, at: str, e: Mapping[str, Any]) -> None:
        offered = self._offered(at, e)
        self._initial(at, e, offered, multi=True)

    def _el_external_select(self, at: str, e: Mapping[str, Any]) -> None:
        if e.get("initial_option") is not None:
            self.options(
                f"{at}/initial_option", [e["initial_option"]], plain_only=True, single=True
            )

    def _el_multi_external_select(self, at: str, e: Mapping[str, Any]) -> None:
        if e.get("initial_options") is not None:
            initial = self.array(f"{at}/initial_options", e["initial_options"], MAX_OPTIONS)
            self.options(f"{at}/initial_options", initial, plain_only=True)

    def _el_checkboxes(self, at: str, e: Mapping[str, Any]) -> None:
        options = self.array(f"{at}/options", e.get("options"), MAX_CHOICE_OPTIONS)
        self.options(f"{at}/options", options, plain_only=False)
        self._initial(at, e, options, multi=True)

    def _el_radio_buttons(self, at: str, e: Mapping[str, Any]) -> None:
        options = self.array(f"{at}/options", e.get("options"), MAX_CHOICE_OPTIONS)
        self.options(f"{at}/options", options, plain_only=False)
        self._initial(at, e, options, multi=False)

    def _el_datepicker(self, at: str, e: Mapping[str, Any]) -> None:
        initial = e.get("initial_date")
        if initial is not None and not _is_date(initial):
            self.add(f"{at}/initial_date", "must be a valid date in the format YYYY-MM-DD")

    def _el_timepicker(self, at: str, e: Mapping[str, Any]) -> None:
        initial = e.get("initial_time")
        if initial is not None and not (isinstance(initial, str) and _TIME.match(initial)):
            self.add(f"{at}/initial_time", "must be a valid time in the format HH:mm")

    def _el_datetimepicker(self, at: str, e: Mapping[str, Any]) -> None:
        initial = e.get("initial_date_time")
        if initial is not None and not (isinstance(initial, int) and initial >= 0):
            self.add(f"{at}/initial_date_time", "must be a UNIX timestamp in seconds")

    def _el_plain_text_input(self, at: str, e: Mapping[str, Any]) -> None:
        self.flag(f"{at}/multiline", e.get("multiline"))
        low, high = e.get("min_length"), e.get("max_length")
        for key, value, floor in (("min_length", low, 0), ("max_length", high, 1)):
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                self.add(f"{at}/{key}", "must be an integer")
            elif not floor <= value <= MAX_INPUT_LENGTH:
                self.add(f"{at}/{key}", f"must be between {floor} and {MAX_INPUT_LENGTH}")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.add(f"{at}/min_length", "must be less than or equal to max_length")
        initial = e.get("initial_value")
        if initial is not None and not isinstance(initial, str):
            self.add(f"{at}/initial_value", "must be a string")

    def _el_number_input(self, at: str, e: Mapping[str, Any]) -> None:
        self.flag(f"{at}/is_decimal_allowed", e.get("is_decimal_allowed"))
        decimal = e.get("is_decimal_allowed") is True
        values: dict[str, float] = {}
        for key in ("initial_value", "min_value", "max_value"):
            raw = e.get(key)
            if raw is None:
                continue
            number = _number(raw, decimal)
            if number is None:
                self.add(f"{at}/{key}", "must be a number" if decimal else "must be an integer")
            else:
                values[key] = number
        if (
            "min_value" in values
            and "max_value" in values
            and values["min_value"] > values["max_value"]
        ):
            self.add(f"{at}/min_value", "cannot be greater than max_value")

    def _el_image(self, at: str, e: Mapping[str, Any]) -> None:
        self._image_source(at, e)
        self.string(f"{at}/alt_text", e.get("alt_text"), MAX_ALT_TEXT)

    def _offered(self, at: str, e: Mapping[str, Any]) -> list[Any]:
        """A static menu's options, from ``options`` or ``option_groups`` (exactly one)."""
        options, groups = e.get("options"), e.get("option_groups")
        if (options is None) == (groups is None):
            self.add(at, "must provide exactly one of `options` or `option_groups`")
            return []
        if options is not None:
            found = self.array(f"{at}/options", options, MAX_OPTIONS)
            self.options(f"{at}/options", found, plain_only=True)
            return found
        offered: list[Any] = []
        for g, group in enumerate(self.array(f"{at}/option_groups", groups, MAX_OPTION_GROUPS)):
            here = f"{at}/option_groups/{g}"
            grp = self.obj(here, group)
            if grp is None:
                continue
            self.fields(here, grp, ("label", "options"), ("label", "options"))
            if grp.get("label") is not None:
                self.text(f"{here}/label", grp["label"], MAX_GROUP_LABEL, plain_only=True)
            found = self.array(f"{here}/options", grp.get("options"), MAX_OPTIONS)
            self.options(f"{here}/options", found, plain_only=True)
            offered += found
        return offered

    def _initial(self, at: str, e: Mapping[str, Any], offered: Sequence[Any], multi: bool) -> None:
        key = "initial_options" if multi else "initial_option"
        chosen = e.get(key)
        if chosen is None:
            return
        if multi:
            picks = [
                (f"{at}/{key}/{i}", c)
                for i, c in enumerate(self.array(f"{at}/{key}", chosen, MAX_OPTIONS))
            ]
        else:
            picks = [(f"{at}/{key}", chosen)]
        for here, pick in picks:
            if not isinstance(pick, Mapping):
                self.add(here, "must provide an object")
            elif not any(_same_option(pick, o) for o in offered):
                self.add(here, "must match one of the provided options")

    def options(
        self,
        at: str,
        options: Sequence[Any],
        *,
        plain_only: bool,
        urls: bool = False,
        single: bool = False,
    ) -> None:
        values: set[str] = set()
        for i, option in enumerate(options):
            here = at if single else f"{at}/{i}"
            o = self.obj(here, option)
            if o is None:
                continue
            self.fields(
                here, o, OPTION_FIELDS if urls else OPTION_FIELDS - {"url"}, ("text", "value")
            )
            if o.get("text") is not None:
                self.text(f"{here}/text", o["text"], MAX_OPTION_TEXT, plain_only=plain_only)
            self.string(f"{here}/value", o.get("value"), MAX_OPTION_VALUE)
            if o.get("description") is not None:
                self.text(
                    f"{here}/description",
                    o["description"],
                    MAX_OPTION_DESCRIPTION,
                    plain_only=plain_only,
                )
            self.string(f"{here}/url", o.get("url"), MAX_URL)
            value = o.get("value")
            if isinstance(value, str):
                if value in values:
                    self.add(f"{here}/value", f"option value `{value}` is not unique")
                values.add(value)

    def confirm(self, at: str, value: Any) -> None:
        c = self.obj(at, value)
        if c is None:
            return
        self.fields(at, c, CONFIRM_FIELDS, ("title", "text", "confirm", "deny"))
        if c.get("title") is not None:
            self.text(f"{at}/title", c["title"], MAX_CONFIRM_TITLE, plain_only=True)
        if c.get("text") is not None:
            self.text(f"{at}/text", c["text"], MAX_CONFIRM_TEXT)
        for key in ("confirm", "deny"):
            if c.get(key) is not None:
                self.text(f"{at}/{key}", c[key], MAX_CONFIRM_BUTTON, plain_only=True)
        if c.get("style") is not None and c["style"] not in BUTTON_STYLES:
            self.add(f"{at}/style", f"must be a valid enum value: {c['style']}")


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _number(raw: Any, decimal: bool) -> float | None:
    if not isinstance(raw, str):
        return None
    pattern = r"-?\d+(\.\d+)?" if decimal else r"-?\d+"
    return float(raw) if re.fullmatch(pattern, raw.strip()) else None


def _same_option(a: Mapping[str, Any], b: Any) -> bool:
    """Slack matches an initial option to an offered one by its value and its text."""
    if not isinstance(b, Mapping):
        return False
    if a.get("value") != b.get("value"):
        return False
    ta, tb = a.get("text"), b.get("text")
    if isinstance(ta, Mapping) and isinstance(tb, Mapping):
        return bool(ta.get("text") == tb.get("text") and ta.get("type") == tb.get("type"))
    return ta == tb


# --- the stand-in's checks of Web API calls ------------------------------------------------------

#: Web API methods whose ``blocks`` make a message, and those whose ``view`` is a view.
MESSAGE_METHODS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
)
VIEW_METHODS = {
    "views.open": "modal",
    "views.push": "modal",
    "views.update": "modal",
    "views.publish": "home",
}
#: Methods that refuse a top-level ``text`` past MAX_MESSAGE_TEXT (the rest truncate it).
REFUSE_LONG_TEXT = frozenset({"chat.update", "chat.postEphemeral"})


@dataclass(frozen=True)
class Verdict:
    """What the stand-in makes of one call's Block Kit: the refusal Slack would answer with
    (None when Slack accepts the call) and every violation to record, refused or not."""

    refusal: dict[str, Any] | None
    violations: list[str]


def check_call(method: str, args: Mapping[str, Any]) -> Verdict:
    """The Block Kit verdict on a Web API call whose arguments are already decoded."""
    if method in MESSAGE_METHODS:
        return _check_message_call(method, args)
    kind = VIEW_METHODS.get(method)
    if kind is None or not isinstance(args.get("view"), Mapping):
        return Verdict(None, [])
    view = args["view"]
    if view.get("type") != kind:
        problems = [Problem("/view/type", f"unsupported type: {view.get('type')}")]
    else:
        problems = validate(kind, view)  # type: ignore[arg-type]  # kind is a view surface
    if not problems:
        return Verdict(None, [])
    return Verdict(
        error_body("modal", problems), [f"{method}: invalid_arguments: {p}" for p in problems]
    )


def _check_message_call(method: str, args: Mapping[str, Any]) -> Verdict:
    blocks = args.get("blocks")
    if blocks is not None and not isinstance(blocks, list):
        return Verdict(None, [])  # answered invalid_blocks_format by the method itself
    problems = validate("message", args)
    if problems:
        body = error_body("message", problems)
        return Verdict(body, [f"{method}: invalid_blocks: {p}" for p in problems])
    notes: list[str] = []
    text = args.get("text")
    size = length(text) if isinstance(text, str) else 0
    if size > MAX_MESSAGE_TEXT:
        if method in REFUSE_LONG_TEXT:
            note = f"{method}: msg_too_long: text has {size} characters (at most 4,000)"
            return Verdict({"ok": False, "error": "msg_too_long"}, [note])
        if size > TRUNCATED_AT:
            notes.append(f"{method}: text has {size} characters; Slack truncates it at 40,000")
    if blocks and not (isinstance(text, str) and text.strip()):
        notes.append(
            f"{method}: blocks without a top-level text: notifications and screen readers "
            "get nothing to show"
        )
    return Verdict(None, notes)


def check_response(body: Mapping[str, Any]) -> list[Problem]:
    """A response_url post: a message (``text``, ``blocks``, ``response_type``…)."""
    return validate("message", body)
