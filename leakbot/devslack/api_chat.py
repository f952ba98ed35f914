"""chat.* and pins.add: messages per channel with increasing ts, threads, edits and pins."""

from __future__ import annotations

import json
import re
from typing import Any

from .apierror import ApiError
from .workspace import Ephemeral, Message, Workspace


def _content(args: dict[str, Any]) -> tuple[str, list[Any] | None, list[Any] | None]:
    text = str(args.get("text") or "")
    blocks, attachments = args.get("blocks"), args.get("attachments")
    if blocks is not None and not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format")
    if attachments is not None and not isinstance(attachments, list):
        raise ApiError("invalid_attachments")
    if not (text or blocks or attachments):
        raise ApiError("no_text")
    return text, blocks, attachments


#: Slack's rule for a metadata ``event_type``: letters, digits and underscores.
EVENT_TYPE = re.compile(r"[A-Za-z0-9_]{1,255}")


def metadata(value: Any) -> dict[str, Any] | None:
    """Message metadata as Slack takes it: a JSON object (or its text) holding an
    ``event_type`` and an ``event_payload`` object."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ApiError("invalid_metadata_format") from None
    if not isinstance(value, dict):
        raise ApiError("invalid_metadata_format")
    event_type, payload = value.get("event_type"), value.get("event_payload")
    if not isinstance(event_type, str) or not EVENT_TYPE.fullmatch(event_type):
        raise ApiError("invalid_metadata_schema")
    if not isinstance(payload, dict):
        raise ApiError("invalid_metadata_schema")
    return {"event_type": event_type, "event_payload": payload}


def post_message(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.postable(args.get("channel"))
    text, blocks, attachments = _content(args)
    meta = metadata(args.get("metadata"))
    thread_ts = str(args.get("thread_ts") or "") or None
    if thread_ts and channel.message(thread_ts) is None:
        ws.notes.append(f"chat.postMessage: thread_ts {thread_ts} is no message in {channel.id}")
    message = Message(
        channel=channel.id,
        ts=ws.next_ts(),
        user=ws.bot_user_id,
        text=text,
        blocks=blocks,
        attachments=attachments,
        thread_ts=thread_ts,
        metadata=meta,
    )
    channel.messages.append(message)
    return {"channel": channel.id, "ts": message.ts, "message": message.as_slack()}


def post_ephemeral(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.postable(args.get("channel"))
    text, blocks, _ = _content(args)
    user_id = str(args.get("user") or "")
    if user_id not in channel.members:
        raise ApiError("user_not_in_channel")
    ts = ws.next_ts()
    ws.ephemerals.append(Ephemeral(channel.id, user_id, text, blocks, ts))
    return {"message_ts": ts}


def update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.joined(args.get("channel"))
    message = channel.message(str(args.get("ts") or ""))
    if message is None:
        raise ApiError("message_not_found")
    if message.user != ws.bot_user_id:
        raise ApiError("cant_update_message")
    # Slack keeps the blocks and attachments a call leaves out; an empty list removes them.
    text, blocks, attachments = _content(
        {
            "text": args.get("text", message.text),
            "blocks": args.get("blocks", message.blocks),
            "attachments": args.get("attachments", message.attachments),
        }
    )
    message.text, message.blocks, message.attachments = text, blocks, attachments
    if "metadata" in args:
        message.metadata = metadata(args["metadata"])
    message.edits += 1
    return {
        "channel": channel.id,
        "ts": message.ts,
        "text": message.text,
        "message": message.as_slack(),
    }


def get_permalink(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.visible(args.get("channel"))
    ts = str(args.get("message_ts") or "")
    if channel.message(ts) is None:
        raise ApiError("message_not_found")
    return {
        "channel": channel.id,
        "permalink": f"{ws.origin}/archives/{channel.id}/p{ts.replace('.', '')}",
    }


def pin(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.joined(args.get("channel"))
    ts = str(args.get("timestamp") or "")
    if not ts:
        raise ApiError("no_item_specified")
    if channel.message(ts) is None:
        raise ApiError("message_not_found")
    if ts in channel.pins:
        raise ApiError("already_pinned")
    channel.pins.append(ts)
    return {}


HANDLERS = {
    "chat.getPermalink": get_permalink,
    "chat.postEphemeral": post_ephemeral,
    "chat.postMessage": post_message,
    "chat.update": update,
    "pins.add": pin,
}
