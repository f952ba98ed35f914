"""files.* (the v2 upload flow): reserve an upload URL, receive the bytes, share the file."""

from __future__ import annotations

import time
from typing import Any

from .apierror import ApiError
from .wire import id_list
from .workspace import Message, StoredFile, Workspace


def get_upload_url(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    filename = str(args.get("filename") or "")
    try:
        length = int(args.get("length") or 0)
    except (TypeError, ValueError) as err:
        raise ApiError("invalid_arguments") from err
    if not filename or length <= 0:
        raise ApiError("missing_argument")
    stored = StoredFile(
        id=ws.new_id("F"),
        name=filename,
        length=length,
        user=ws.bot_user_id,
        created=int(time.time()),
        alt_txt=args.get("alt_txt"),
    )
    ws.files[stored.id] = stored
    return {"upload_url": f"{ws.origin}/upload/{stored.id}", "file_id": stored.id}


def receive_upload(ws: Workspace, file_id: str, content: bytes) -> bool:
    """The POST to an upload URL; False when the URL was never handed out or already used."""
    stored = ws.files.get(file_id)
    if stored is None or stored.completed:
        return False
    if len(content) != stored.length:
        ws.notes.append(f"upload {file_id}: {len(content)} bytes sent, {stored.length} declared")
    stored.content = content
    return True


def complete_upload(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    items = args.get("files")
    if not isinstance(items, list) or not items:
        raise ApiError("invalid_arguments")
    chosen: list[StoredFile] = []
    for item in items:
        stored = ws.files.get(str(item.get("id") if isinstance(item, dict) else ""))
        if stored is None or stored.content is None or stored.completed:
            raise ApiError("file_not_found")
        stored.title = str(item.get("title") or stored.name)
        chosen.append(stored)
    targets = id_list(args.get("channels"))
    if args.get("channel_id"):
        targets.insert(0, str(args["channel_id"]))
    channels = [ws.postable(t) for t in dict.fromkeys(targets)]
    for stored in chosen:
        stored.completed = True
    for channel in channels:
        for stored in chosen:
            stored.channels.append(channel.id)
        channel.messages.append(
            Message(
                channel=channel.id,
                ts=ws.next_ts(),
                user=ws.bot_user_id,
                text=str(args.get("initial_comment") or ""),
                blocks=args.get("blocks"),
                thread_ts=str(args.get("thread_ts") or "") or None,
                files=[s.id for s in chosen],
            )
        )
    return {"files": [s.as_slack(ws.origin) for s in chosen]}


def info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    stored = ws.files.get(str(args.get("file") or ""))
    if stored is None or not stored.completed:
        raise ApiError("file_not_found")
    return {
        "file": stored.as_slack(ws.origin),
        "comments": [],
        "response_metadata": {"next_cursor": ""},
    }


HANDLERS = {
    "files.completeUploadExternal": complete_upload,
    "files.getUploadURLExternal": get_upload_url,
    "files.info": info,
}
