"""The shape of a Slack request, checked once for HTTP and Socket Mode alike.

A Bolt middleware, so it runs after the signature is verified (HTTP) or the envelope arrived
over leakbot's own connection (Socket Mode), and before any listener: a request of a kind
leakbot handles, but missing what that kind always carries (a user, a view, an action), or
carrying ids that are not ids, is answered 400 and goes no further. Listeners can then read
``body["user"]["id"]`` or ``view["state"]["values"]`` without a KeyError turning into a 500.

Also here: the answer when a listener refuses before acknowledging (``refusal_response``),
so a ``Refused`` raised while reading a modal is a private answer, not an error.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from leakbot.domain import hygiene
from leakbot.slack.blocks.messages import refusal
from leakbot.slack.blocks.step_modals import working_view

log = logging.getLogger(__name__)

_CHANNEL_ID = re.compile(r"^[CDG][A-Z0-9]{2,31}$")
_SHORT = 300  # trigger ids, callback ids, action ids and such are far shorter
_USER_KINDS = frozenset(
    {"block_actions", "view_submission", "view_closed", "shortcut", "message_action"}
)


def _short_str(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= _SHORT


def problem(body: Mapping[str, Any]) -> str | None:
    """Why ``body`` is not a request of the shape Slack sends, or None when it is."""
    if "command" in body:
        if not _short_str(body.get("command")) or not hygiene.is_user_id(
            str(body.get("user_id") or "")
        ):
            return "a slash command without a user"
        if not _CHANNEL_ID.match(str(body.get("channel_id") or "")):
            return "a slash command without a channel"
        if not isinstance(body.get("text", ""), str) or not _short_str(body.get("trigger_id", "")):
            return "a slash command with a malformed field"
        return None
    kind = body.get("type")
    if kind in _USER_KINDS:
        user = body.get("user")
        if not isinstance(user, Mapping) or not hygiene.is_user_id(str(user.get("id") or "")):
            return f"{kind} without a user"
        if not _short_str(body.get("trigger_id", "")):
            return f"{kind} with a malformed trigger id"
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block_actions without actions"
        if not all(isinstance(a, Mapping) and _short_str(a.get("action_id")) for a in actions):
            return "block_actions with a malformed action"
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        if not isinstance(view, Mapping) or not hygiene.VIEW_ID.match(str(view.get("id") or "")):
            return f"{kind} without a view"
        if not _short_str(view.get("callback_id")):
            return f"{kind} without a callback id"
        if not isinstance(view.get("private_metadata", ""), str):
            return f"{kind} with malformed metadata"
        state = view.get("state")
        if kind == "view_submission" and not (
            isinstance(state, Mapping) and isinstance(state.get("values"), Mapping)
        ):
            return "view_submission without state"
    if kind == "event_callback" and not isinstance(body.get("event"), Mapping):
        return "event_callback without an event"
    if kind == "url_verification" and not _short_str(body.get("challenge")):
        return "url_verification without a challenge"
    return None


class ShapeCheck(Middleware):
    """Bolt global middleware: 400 for a request whose shape is wrong (see ``problem``), for
    Socket Mode. Over HTTP the edge has checked it already, before Bolt read the body
    (``leakbot.slack.edge.checked_environ``, the only way in over HTTP), so it is not checked
    twice. A ``Middleware`` of its own, not a function Bolt would match arguments to on every
    request."""

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # noqa: A002 (Bolt's name)
    ) -> BoltResponse | None:
        if req.mode == "http":
            return next()
        found = problem(req.body)
        if found is not None:
            log.info("refused a malformed Slack request: %s", found)
            return BoltResponse(status=400, body="")
        return next()


def refusal_response(body: Mapping[str, Any], reason: str) -> BoltResponse:
    """The acknowledgement that tells only the person why nothing was done."""
    if body.get("type") == "view_submission":
        view = working_view("Not done", refusal(reason)).to_dict()
        answer = {"response_action": "update", "view": view}
    elif "command" in body:
        answer = {"response_type": "ephemeral", "text": refusal(reason)}
    else:
        return BoltResponse(status=200, body="")
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )
