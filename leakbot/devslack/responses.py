"""POSTs to the response_urls the stand-in hands out, as Bolt's ``respond()`` sends them."""

from __future__ import annotations

import time
from typing import Any

from .workspace import Ephemeral, Message, ResponsePost, Workspace

MAX_USES = 5


def receive_response(ws: Workspace, url_id: str, body: dict[str, Any]) -> tuple[int, str]:
    """Record the post and show it where Slack would: in the channel or to the person alone."""
    target = ws.response_targets.get(url_id)
    if target is None:
        return 404, "no_service"
    target.uses += 1
    if target.uses > MAX_USES:
        ws.notes.append(f"response_url {url_id} used more than {MAX_USES} times")
        return 404, "used_url"
    ws.response_posts.append(ResponsePost(url_id, target.user, target.channel, body, time.time()))
    text, blocks = str(body.get("text") or ""), body.get("blocks")
    if body.get("delete_original"):
        return 200, "ok"
    channel = ws.channels.get(target.channel or "")
    if body.get("response_type") == "in_channel" and channel is not None:
        channel.messages.append(Message(channel.id, ws.next_ts(), ws.bot_user_id, text, blocks))
    elif target.user is not None:
        ws.ephemerals.append(
            Ephemeral(target.channel, target.user, text, blocks, ws.next_ts(), via="response_url")
        )
    return 200, "ok"
