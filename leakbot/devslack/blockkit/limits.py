"""Block Kit's length and count limits, as Slack's Block Kit reference gives them."""

from __future__ import annotations

from typing import Literal

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
