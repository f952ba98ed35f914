"""The stand-in's checks of Web API calls that carry blocks or a view, and of response_url posts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leakbot.devslack.blockkit.limits import (
    MAX_MESSAGE_TEXT,
    TRUNCATED_AT,
)
from leakbot.devslack.blockkit.problems import (
    Problem,
    error_body,
    length,
)
from leakbot.devslack.blockkit.surfaces import (
    validate,
)

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
