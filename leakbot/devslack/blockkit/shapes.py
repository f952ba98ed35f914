"""The fields each block, element, composition object and view may carry and must carry,
and which elements each block accepts (Slack's Block Kit reference)."""

from __future__ import annotations

import re

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
