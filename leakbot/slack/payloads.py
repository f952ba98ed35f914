"""The one place that knows the shape of Slack's payloads.

Listeners hand over ``body["view"]``, its state values or a button's value, and get typed
values back. Anything malformed (an old message, a hand-made request) raises ``Refused`` with a
plain message, which the Slack edge shows to the person and nothing else happens.

Every text read here is cleaned by ``leakbot.domain.hygiene`` (no control or bidirectional
characters), and every id is checked by pattern and bound before it goes further.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from leakbot.domain import hygiene
from leakbot.domain.errors import Refused
from leakbot.domain.evidence import EvidenceFile, EvidenceForm, RecordedMessage
from leakbot.domain.report import UNKNOWN_SUPPLIER, ReportForm
from leakbot.slack.ids import INPUT_PREFIX, REASON_FIELD, EvidenceField, ReportField

_STEP_REF = re.compile(r"^([1-9][0-9]{0,8}):([A-Za-z0-9][A-Za-z0-9_.-]{0,199})$")
_NUMBER = re.compile(r"^[1-9][0-9]{0,14}$")  # below hygiene.MAX_ROW_ID
_FORMAT = re.compile(r"^[a-z]{1,10}$")
_MENU_VERBS = ("complete", "skip", "reopen")
_REASON_VERBS = ("reopen", "skip")

_STALE = "This button is out of date; use the latest checklist."


def _number(text: str, what: str) -> int:
    if not _NUMBER.match(text or ""):
        raise Refused(f"That {what} is not valid.")
    return int(text)


def state_value(element: Mapping[str, Any] | None) -> str | None:
    """What one input element holds, whatever its type; None when left empty."""
    if not element:
        return None
    option = element.get("selected_option")
    if isinstance(option, Mapping):
        return _text(option.get("value"))
    for key in ("selected_date", "selected_user", "selected_time", "selected_channel", "value"):
        if key in element:
            return _text(element[key])
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Refused("The form sent a value leakbot cannot read.")
    return hygiene.clean(str(value))


def metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    """The modal's ``private_metadata`` as the builder wrote it (a JSON object)."""
    raw = view.get("private_metadata") or ""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        raise Refused("This form is out of date; open it again.") from None
    if not isinstance(data, dict):
        raise Refused("This form is out of date; open it again.")
    return data


def _values(view: Mapping[str, Any]) -> Mapping[str, Any]:
    values = (view.get("state") or {}).get("values")
    if not isinstance(values, Mapping):
        raise Refused("The form arrived empty; try again.")
    return values


def _field(values: Mapping[str, Any], block_id: str, action_id: str) -> str | None:
    block = values.get(block_id)
    if not isinstance(block, Mapping):
        return None
    return state_value(block.get(action_id))


def _step_of(data: Mapping[str, Any]) -> tuple[int, str]:
    number, step_id = data.get("number"), data.get("step_id")
    if not hygiene.is_incident_number(number) or not isinstance(step_id, str):
        raise Refused("This form is out of date; open it again.")
    if not hygiene.is_step_id(step_id):
        raise Refused("This form is out of date; open it again.")
    return int(str(number)), step_id


def report_form(values: Mapping[str, Any]) -> ReportForm:
    """The report modal's ``view.state.values`` as typed; the rules check it afterwards."""
    read = {f.value: _field(values, f, f) for f in ReportField}
    given = {k: v for k, v in read.items() if v is not None}
    if ReportField.SUPPLIER in given and not given[ReportField.SUPPLIER]:
        given[ReportField.SUPPLIER] = UNKNOWN_SUPPLIER
    return ReportForm(**{"title": "", **given})


def step_inputs(view: Mapping[str, Any]) -> tuple[int, str, dict[str, str | None]]:
    """(incident number, step id, input id -> raw text) from the step inputs modal."""
    number, step_id = _step_of(metadata(view))
    raw: dict[str, str | None] = {}
    for block_id, actions in _values(view).items():
        if not block_id.startswith(INPUT_PREFIX) or not isinstance(actions, Mapping):
            continue
        input_id = block_id[len(INPUT_PREFIX) :]
        raw[input_id] = state_value(actions.get(input_id))
    return number, step_id, raw


def reason_submission(view: Mapping[str, Any]) -> tuple[int, str, str, str]:
    """(incident number, step id, verb, reason) from the reason modal."""
    data = metadata(view)
    number, step_id = _step_of(data)
    verb = data.get("verb")
    if verb not in _REASON_VERBS:
        raise Refused("This form is out of date; open it again.")
    reason = _field(_values(view), REASON_FIELD, REASON_FIELD) or ""
    return number, step_id, str(verb), reason.strip()


def reason_problem(reason: str) -> str | None:
    """What is wrong with a reopen/skip reason, for the modal; None when it will do."""
    try:
        hygiene.check_text(reason, hygiene.LIMITS["reason"], required=True, multiline=True)
    except ValueError as e:
        return f"Say why, in a few words: the reason {e}."
    return None


def command_words(command: Mapping[str, Any]) -> list[str]:
    """A slash command's text as words, cleaned; Refused when it is far too long."""
    text = command.get("text") or ""
    if not isinstance(text, str):
        raise Refused("leakbot could not read that command.")
    if len(text) > hygiene.LIMITS["command"]:
        limit = hygiene.LIMITS["command"]
        raise Refused(f"That command is too long ({limit:,} characters at most).")
    return hygiene.clean(text, multiline=False).split()


def close_reason(words: list[str]) -> str:
    """The reason of ``/leak close``: cleaned, visible and bounded, else Refused."""
    try:
        return hygiene.check_text(" ".join(words), hygiene.LIMITS["close_reason"], required=True)
    except ValueError as e:
        raise Refused(f"Say why: `/leak close [ID] <reason>` (the reason {e}).") from None


def mentioned_user(word: str) -> str | None:
    """The user id of a mention (``<@U123|name>``), or None when it is not one."""
    found = _MENTION.match(word or "")
    return found.group(1) if found and hygiene.is_user_id(found.group(1)) else None


_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,31})(?:\|[^>]{0,200})?>$")


def step_ref(value: str) -> tuple[int, str]:
    """A step button's ``"<number>:<step_id>"``."""
    m = _STEP_REF.match(value or "")
    if not m:
        raise Refused(_STALE)
    return int(m.group(1)), m.group(2)


def menu_choice(value: str) -> tuple[str, int, str]:
    """A step menu option's ``"<verb>|<number>:<step_id>"`` as (verb, number, step id)."""
    verb, sep, ref = (value or "").partition("|")
    if not sep or verb not in _MENU_VERBS:
        raise Refused(_STALE)
    number, step_id = step_ref(ref)
    return verb, number, step_id


def notice_ref(value: str) -> tuple[int, str]:
    """A pull button's ``"<draft_id>:<format>"``."""
    draft, sep, fmt = (value or "").partition(":")
    if not sep or not _FORMAT.match(fmt):
        raise Refused("That notice button is not valid.")
    return _number(draft, "notice"), fmt


def draft_ref(value: str) -> int:
    """An approve button's ``"<draft_id>"``."""
    return _number(value, "notice")


def incident_number(value: str) -> int:
    """A button whose value is an incident number, e.g. the checklist's Notices."""
    return _number(value, "incident number")


def report_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Field errors of the report as ``response_action: errors`` wants them (by block id).

    An error about no field of the modal is shown under the title, so it is never lost.
    """
    known = {f.value for f in ReportField}
    out: dict[str, str] = {}
    for key, message in errors.items():
        block = key if key in known else ReportField.TITLE.value
        out[block] = f"{out[block]} {message}" if block in out else message
    return out


def input_errors(errors: Mapping[str, str], known: Iterable[str] | None = None) -> dict[str, str]:
    """Input errors by block id. With ``known`` (the step's input ids), an error about an id
    the modal does not show is moved under the first input, so Slack accepts the answer."""
    ids = list(known) if known is not None else None
    out: dict[str, str] = {}
    for key, message in errors.items():
        target = key if ids is None or key in ids or not ids else ids[0]
        block = INPUT_PREFIX + target
        out[block] = f"{out[block]} {message}" if block in out else message
    return out


def evidence_form(view: Mapping[str, Any]) -> tuple[int, EvidenceForm]:
    """(incident number, the form) from the "Add evidence" modal. Files come as Slack's
    ``file_input`` state: ``{"files": [{"id", "name", …}]}``; the moment seen as a
    ``datetimepicker``'s ``selected_date_time`` (Unix seconds)."""
    data = metadata(view)
    number = data.get("number")
    if not isinstance(number, int) or number < 1:
        raise Refused("This form is out of date; open it again.")
    values = _values(view)

    def element(field: EvidenceField) -> Mapping[str, Any]:
        block = values.get(field.value)
        found = block.get(field.value) if isinstance(block, Mapping) else None
        return found if isinstance(found, Mapping) else {}

    files = _files(element(EvidenceField.FILES).get("files"))
    seen = element(EvidenceField.SEEN_AT).get("selected_date_time")
    seen_at = None
    if isinstance(seen, int | float) and not isinstance(seen, bool):
        seen_at = datetime.fromtimestamp(seen, UTC)
    return number, EvidenceForm(
        files=files,
        links_text=_field(values, EvidenceField.LINKS, EvidenceField.LINKS) or "",
        seen_at=seen_at,
        note=_field(values, EvidenceField.NOTE, EvidenceField.NOTE) or "",
    )


def _files(raw: Any) -> tuple[EvidenceFile, ...]:
    if not isinstance(raw, list):
        return ()
    found = []
    for f in raw:
        if isinstance(f, Mapping) and isinstance(f.get("id"), str) and f["id"]:
            found.append(EvidenceFile(slack_id=f["id"], name=str(f.get("name") or f["id"])))
    return tuple(found)


def evidence_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Field errors of the evidence modal by block id (unknown ones under the files)."""
    known = {f.value for f in EvidenceField}
    out: dict[str, str] = {}
    for key, message in errors.items():
        block = key if key in known else EvidenceField.FILES.value
        out[block] = f"{out[block]} {message}" if block in out else message
    return out


def shortcut_message(
    body: Mapping[str, Any],
) -> tuple[str, RecordedMessage, tuple[EvidenceFile, ...]]:
    """(channel id, the message, its files) of a message shortcut (``message_action``)."""
    channel = (body.get("channel") or {}).get("id")
    message = body.get("message")
    if not isinstance(channel, str) or not channel or not isinstance(message, Mapping):
        raise Refused("That message could not be read; try again.")
    ts = message.get("ts")
    if not isinstance(ts, str) or not ts:
        raise Refused("That message could not be read; try again.")
    author = message.get("user") or message.get("bot_id") or ""
    recorded = RecordedMessage(
        channel_id=channel, ts=ts, author=str(author), text=str(message.get("text") or "")
    )
    return channel, recorded, _files(message.get("files"))


def person_name(user: Mapping[str, Any]) -> str | None:
    """The name Slack shows for a user object of ``users.info``: the display name, else the
    full name, else the user name."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, Mapping) else {}
    for value in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
