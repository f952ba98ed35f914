"""What a person sees when the database cannot take their request: words, within 3 seconds.

Used by the app's one error handler when a listener's database work fails before the
acknowledgement. Each kind of request is answered where Slack shows it:

- a slash command: the acknowledgement's text, shown only to the person;
- a modal submission: ``response_action: errors`` on the modal's first input (the modal stays
  open with what was typed), or, for a modal without inputs, an update to a small view;
- a click (``block_actions``): Slack shows nothing of an acknowledgement's body, so the answer
  goes to the request's ``response_url`` at once (ephemeral, the original message kept), or,
  without one (a click in App Home or in a modal), a direct message — none of it needs the
  database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse

from leakbot.slack.blocks.step_modals import working_view

TEXT = (
    ":warning: leakbot could not do this just now: its database is not answering. "
    "Nothing was changed. Please try again in a minute."
)
FIELD_TEXT = "leakbot could not record this just now (its database is not answering). "
FIELD_TEXT += "Nothing was saved; please submit again in a minute."


def _json(data: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200,
        body=json.dumps(data),
        headers={"content-type": "application/json;charset=utf-8"},
    )


def first_input(view: dict[str, Any]) -> str | None:
    """The block id of the first input block of a submitted view, where an error can show."""
    for block in view.get("blocks") or []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None


def answer(body: dict[str, Any], tell: Callable[[dict[str, Any], str], None]) -> BoltResponse:
    """The acknowledgement for ``body`` that says nothing was done; for a click, also the
    message sent through ``tell`` (which must not need the database)."""
    from leakbot.slack.intake import reply_of

    kind = body.get("type")
    if kind == "view_submission":
        view = body.get("view") or {}
        block = first_input(view)
        if block:
            return _json({"response_action": "errors", "errors": {block: FIELD_TEXT}})
        shown = working_view("Not recorded", TEXT).to_dict()
        return _json({"response_action": "update", "view": shown})
    if body.get("command"):
        return _json({"response_type": "ephemeral", "text": TEXT})
    if kind == "block_actions":
        tell(reply_of(body), TEXT)
    return BoltResponse(status=200, body="")
