"""conversations.*: channels, their names, members, topics and DMs, with Slack's error codes."""

from __future__ import annotations

import re
import time
from typing import Any

from .apierror import ApiError
from .wire import flag, id_list
from .workspace import Channel, Workspace

NAME = re.compile(r"[a-z0-9_-]+")
MAX_TOPIC = 250


def check_name(ws: Workspace, name: str, *, keep: Channel | None = None) -> None:
    """Slack's channel name rules: lower case letters, digits, ``-`` and ``_``, at most 80."""
    if not name:
        raise ApiError("invalid_name_required")
    if len(name) > 80:
        raise ApiError("invalid_name_maxlength")
    if not NAME.fullmatch(name):
        raise ApiError("invalid_name_specials")
    if not name.strip("-_"):
        raise ApiError("invalid_name_punctuation")
    taken = ws.channel_named(name)
    if taken is not None and taken is not keep:
        raise ApiError("name_taken")


def create(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    name = str(args.get("name") or "")
    check_name(ws, name)
    channel = Channel(
        id=ws.new_id("C"),
        name=name,
        is_private=flag(args.get("is_private")),
        creator=ws.bot_user_id,
        created=int(time.time()),
        members=[ws.bot_user_id],
    )
    ws.channels[channel.id] = channel
    return {"channel": channel.as_slack(ws.bot_user_id)}


def _invite_problem(ws: Workspace, user_id: str) -> str | None:
    if user_id == ws.bot_user_id:
        return "cant_invite_self"
    user = ws.users.get(user_id)
    if user is None:
        return "user_not_found"
    if user.deleted:
        return "user_is_inactive"
    return None


def invite(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """Without ``force`` one bad id fails the whole call and nobody is invited; with ``force``
    the valid ids are invited and the bad ones come back in ``errors``. People already in the
    channel are skipped, and only when all of them are does the call fail."""
    channel = ws.joined(args.get("channel"))
    if channel.archived:
        raise ApiError("is_archived")
    if channel.is_im or channel.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    users = id_list(args.get("users"))
    if not users:
        raise ApiError("no_user")
    errors: list[dict[str, Any]] = []
    new: list[str] = []
    for user_id in users:
        problem = _invite_problem(ws, user_id)
        if problem:
            errors.append({"user": user_id, "ok": False, "error": problem})
        elif user_id not in channel.members:
            new.append(user_id)
    if errors and (not flag(args.get("force")) or not new):
        not_found = [e for e in errors if e["error"] == "user_not_found"]
        code = "users_not_found" if len(not_found) > 1 else errors[0]["error"]
        raise ApiError(code, errors=errors)
    if not new:
        raise ApiError("already_in_channel")
    channel.members.extend(new)
    answer: dict[str, Any] = {"channel": channel.as_slack(ws.bot_user_id)}
    if errors:
        answer["errors"] = errors
    return answer


def _set_text(ws: Workspace, args: dict[str, Any], key: str) -> dict[str, Any]:
    channel = ws.joined(args.get("channel"))
    if channel.archived:
        raise ApiError("is_archived")
    if channel.is_im:
        raise ApiError("method_not_supported_for_channel_type")
    value = str(args.get(key) or "")
    if len(value) > MAX_TOPIC:
        raise ApiError("too_long")
    setattr(channel, key, value)
    return {"channel": channel.as_slack(ws.bot_user_id)}


def set_topic(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return _set_text(ws, args, "topic")


def set_purpose(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return _set_text(ws, args, "purpose")


def info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"channel": ws.visible(args.get("channel")).as_slack(ws.bot_user_id)}


def _page(args: dict[str, Any]) -> tuple[int, int]:
    """(limit, offset) of a cursor-paginated call, refused as Slack refuses them."""
    try:
        limit = int(args.get("limit") or 100)
        start = int(args.get("cursor") or 0)
    except ValueError as err:
        raise ApiError("invalid_cursor" if args.get("cursor") else "invalid_limit") from err
    if not 1 <= limit <= 1000:
        raise ApiError("invalid_limit")
    return limit, start


def list_channels(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """Channels the bot can see: public ones, and private ones it is a member of."""
    types = set((args.get("types") or "public_channel").split(","))
    limit, start = _page(args)
    exclude_archived = str(args.get("exclude_archived", "")).lower() in ("1", "true")
    seen = [
        c
        for c in ws.channels.values()
        if not c.is_im
        and not c.is_mpim
        and ("private_channel" if c.is_private else "public_channel") in types
        and (not c.is_private or ws.bot_user_id in c.members)
        and not (exclude_archived and c.archived)
    ]
    page = seen[start : start + limit]
    more = start + limit < len(seen)
    return {
        "channels": [c.as_slack(ws.bot_user_id) for c in page],
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def members(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.visible(args.get("channel"))
    limit, start = _page(args)
    page = channel.members[start : start + limit]
    more = start + limit < len(channel.members)
    return {
        "members": page,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def open_dm(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    if args.get("channel"):
        channel = ws.visible(args.get("channel"))
        return {"channel": channel.as_slack(ws.bot_user_id), "no_op": True, "already_open": True}
    users = id_list(args.get("users"))
    if not users:
        raise ApiError("users_list_not_supplied")
    if len(users) > 8:
        raise ApiError("too_many_users")
    for user_id in users:
        if ws.user(user_id).deleted:
            raise ApiError("user_disabled")
    if len(users) == 1:
        existed = ws.existing_dm(users[0]) is not None
        channel = ws.dm_with(users[0])
    else:
        wanted = {ws.bot_user_id, *users}
        found = next(
            (c for c in ws.channels.values() if c.is_mpim and set(c.members) == wanted), None
        )
        existed = found is not None
        channel = found or Channel(
            id=ws.new_id("G"),
            name="mpdm-" + "--".join(sorted(wanted)),
            is_private=True,
            is_mpim=True,
            creator=ws.bot_user_id,
            created=int(time.time()),
            members=sorted(wanted),
        )
        ws.channels[channel.id] = channel
    shown = channel.as_slack(ws.bot_user_id) if flag(args.get("return_im")) else {"id": channel.id}
    answer: dict[str, Any] = {"channel": shown}
    if existed:
        answer.update(no_op=True, already_open=True)
    return answer


def rename(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.joined(args.get("channel"))
    if channel.archived:
        raise ApiError("is_archived")
    if channel.is_im or channel.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    name = str(args.get("name") or "")
    check_name(ws, name, keep=channel)
    channel.name = name
    return {"channel": channel.as_slack(ws.bot_user_id)}


def archive(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.joined(args.get("channel"))
    if channel.is_im or channel.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    if channel.archived:
        raise ApiError("already_archived")
    channel.archived = True
    return {}


def _ts_bound(value: Any, error: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value))
    except ValueError:
        raise ApiError(error) from None


def _within(ts: str, args: dict[str, Any]) -> bool:
    """Slack's ``oldest`` / ``latest`` window, exclusive unless ``inclusive``."""
    oldest = _ts_bound(args.get("oldest"), "invalid_ts_oldest")
    latest = _ts_bound(args.get("latest"), "invalid_ts_latest")
    at, inclusive = float(ts), flag(args.get("inclusive"))
    if oldest is not None and (at < oldest or (at == oldest and not inclusive)):
        return False
    return not (latest is not None and (at > latest or (at == latest and not inclusive)))


def _shown(ws: Workspace, message: Any, args: dict[str, Any]) -> dict[str, Any]:
    # Metadata comes back only when asked for with include_all_metadata.
    out: dict[str, Any] = message.as_slack(metadata=flag(args.get("include_all_metadata")))
    if message.files:
        out["files"] = [ws.files[f].as_slack(ws.origin) for f in message.files if f in ws.files]
    return out


def _paged(
    ws: Workspace, found: list[Any], args: dict[str, Any], most: int, default: int
) -> dict[str, Any]:
    try:
        limit = int(args.get("limit") or default)
        start = int(args.get("cursor") or 0)
    except ValueError as err:
        raise ApiError("invalid_cursor" if args.get("cursor") else "invalid_arguments") from err
    limit = max(1, min(limit, most))
    page = found[start : start + limit]
    more = start + limit < len(found)
    return {
        "messages": [_shown(ws, m, args) for m in page],
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def history(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """Top-level messages, newest first (thread replies stay in their threads)."""
    channel = ws.joined(args.get("channel"))
    found = [
        m
        for m in reversed(channel.messages)
        if (not m.thread_ts or m.thread_ts == m.ts) and _within(m.ts, args)
    ]
    answer = _paged(ws, found, args, most=999, default=100)
    answer.update(pin_count=len(channel.pins), channel_actions_ts=None, channel_actions_count=0)
    return answer


def replies(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """A thread, its parent first, then the replies oldest first."""
    channel = ws.joined(args.get("channel"))
    ts = str(args.get("ts") or "")
    parent = channel.message(ts)
    if parent is None:
        raise ApiError("thread_not_found")
    root = parent.thread_ts or parent.ts
    thread = [m for m in channel.messages if m.ts == root or m.thread_ts == root]
    found = [m for m in thread if m.ts == root or _within(m.ts, args)]
    return _paged(ws, found, args, most=1000, default=1000)


HANDLERS = {
    "conversations.archive": archive,
    "conversations.history": history,
    "conversations.create": create,
    "conversations.info": info,
    "conversations.invite": invite,
    "conversations.list": list_channels,
    "conversations.members": members,
    "conversations.open": open_dm,
    "conversations.rename": rename,
    "conversations.replies": replies,
    "conversations.setPurpose": set_purpose,
    "conversations.setTopic": set_topic,
}
