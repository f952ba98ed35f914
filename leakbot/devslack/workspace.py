"""The in-memory workspace the stand-in answers from, open to tests for inspection.

Everything here is plain data guarded by one lock: the server takes ``lock`` around each call so
methods see a consistent workspace, and tests read the same objects the methods changed.
"""

from __future__ import annotations

import itertools
import mimetypes
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .apierror import ApiError


@dataclass
class User:
    id: str
    name: str
    real_name: str = ""
    deleted: bool = False
    is_bot: bool = False
    email: str | None = None
    tz: str = "UTC"
    display_name: str = ""  # as in Slack: empty unless the person chose one

    def as_slack(self, team_id: str) -> dict[str, Any]:
        real = self.real_name or self.name
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": real,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "profile": {
                "real_name": real,
                "display_name": self.display_name,
                "real_name_normalized": real,
                "display_name_normalized": self.display_name,
                "email": self.email,
            },
        }


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str = ""
    blocks: list[Any] | None = None
    attachments: list[Any] | None = None
    thread_ts: str | None = None
    metadata: Any = None
    files: list[str] = field(default_factory=list)
    edits: int = 0

    def as_slack(self, metadata: bool = True) -> dict[str, Any]:
        """The message as Slack shows it; ``metadata=False`` as conversations.history and
        .replies show it without ``include_all_metadata``."""
        out: dict[str, Any] = {"type": "message", "user": self.user, "ts": self.ts}
        out["text"] = self.text
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key == "metadata" and not metadata:
                continue
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.edits:
            out["edited"] = {"user": self.user, "ts": self.ts}
        return out


@dataclass
class Ephemeral:
    """A message only ``user`` sees: from chat.postEphemeral or an ephemeral response_url post."""

    channel: str | None
    user: str
    text: str
    blocks: list[Any] | None
    ts: str
    via: str = "chat.postEphemeral"


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    creator: str = ""
    created: int = 0
    members: list[str] = field(default_factory=list)
    topic: str = ""
    purpose: str = ""
    archived: bool = False
    pins: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    def message(self, ts: str) -> Message | None:
        return next((m for m in self.messages if m.ts == ts), None)

    def as_slack(self, viewer: str) -> dict[str, Any]:
        base: dict[str, Any] = {"id": self.id, "created": self.created, "is_im": self.is_im}
        if self.is_im:
            other = next((m for m in self.members if m != viewer), "")
            return {**base, "user": other, "is_open": True}
        return {
            **base,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private and not self.is_mpim,
            "is_group": self.is_private and not self.is_mpim,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private,
            "is_archived": self.archived,
            "is_member": viewer in self.members,
            "creator": self.creator,
            "num_members": len(self.members),
            "topic": {"value": self.topic, "creator": self.creator, "last_set": 0},
            "purpose": {"value": self.purpose, "creator": self.creator, "last_set": 0},
        }


@dataclass
class StoredFile:
    id: str
    name: str
    length: int
    user: str
    created: int
    title: str = ""
    alt_txt: str | None = None
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    completed: bool = False

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"

    def as_slack(self, origin: str) -> dict[str, Any]:
        url = f"{origin}/files/{self.id}/{quote(self.name)}"
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.name,
            "title": self.title or self.name,
            "mimetype": self.mimetype,
            "filetype": self.name.rsplit(".", 1)[-1] if "." in self.name else "binary",
            "user": self.user,
            "size": len(self.content or b""),
            "url_private": url,
            "url_private_download": url,
            "channels": [c for c in self.channels if c.startswith("C")],
            "groups": [c for c in self.channels if c.startswith("G")],
            "ims": [c for c in self.channels if c.startswith("D")],
        }


@dataclass
class View:
    id: str
    user: str | None
    definition: dict[str, Any]
    hash: str
    external_id: str = ""
    root_view_id: str = ""
    previous_view_id: str | None = None
    closed: bool = False

    def as_slack(self, team_id: str, app_id: str, bot_id: str) -> dict[str, Any]:
        return {
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            **self.definition,
            "id": self.id,
            "team_id": team_id,
            "state": {"values": {}},
            "hash": self.hash,
            "external_id": self.external_id,
            "root_view_id": self.root_view_id or self.id,
            "previous_view_id": self.previous_view_id,
            "app_id": app_id,
            "bot_id": bot_id,
        }


@dataclass
class Trigger:
    id: str
    user: str | None
    issued: float
    used: bool = False


@dataclass
class ResponseTarget:
    """Where a response_url leads: the person and channel of the interaction that carried it."""

    id: str
    user: str | None
    channel: str | None
    uses: int = 0


@dataclass
class ResponsePost:
    url_id: str
    user: str | None
    channel: str | None
    body: dict[str, Any]
    at: float


class Workspace:
    def __init__(
        self,
        *,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lock = threading.RLock()
        self.team_id, self.bot_user_id, self.bot_id, self.app_id = (
            team_id,
            bot_user_id,
            bot_id,
            app_id,
        )
        self.clock = clock
        self.origin = ""
        self.users: dict[str, User] = {bot_user_id: User(bot_user_id, "leakbot", is_bot=True)}
        self.usergroups: dict[str, list[str]] = {}
        self.disabled_usergroups: set[str] = set()
        self.channels: dict[str, Channel] = {}
        self.files: dict[str, StoredFile] = {}
        self.views: dict[str, View] = {}
        self.home: dict[str, View] = {}
        self.ephemerals: list[Ephemeral] = []
        self.triggers: dict[str, Trigger] = {}
        self.trigger_ttl = 3.0
        self.response_targets: dict[str, ResponseTarget] = {}
        self.response_posts: list[ResponsePost] = []
        self.notes: list[str] = []  # violations found while answering, beyond the table check
        self._seq = itertools.count(1)
        self._last_us = 0

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._seq):010d}"

    def next_ts(self) -> str:
        """Message timestamps strictly increase, like Slack's within a channel."""
        self._last_us = max(int(time.time() * 1_000_000), self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    def user(self, user_id: str, error: str = "user_not_found") -> User:
        found = self.users.get(user_id)
        if found is None:
            raise ApiError(error)
        return found

    def channel_named(self, name: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def visible(self, channel_id: Any) -> Channel:
        """A channel the bot may see: public ones, and private ones it belongs to."""
        found = self.channels.get(str(channel_id or ""))
        if found is None or (found.is_private and self.bot_user_id not in found.members):
            raise ApiError("channel_not_found")
        return found

    def joined(self, channel_id: Any) -> Channel:
        found = self.visible(channel_id)
        if self.bot_user_id not in found.members:
            raise ApiError("not_in_channel")
        return found

    def postable(self, channel_id: Any) -> Channel:
        """Where a message goes: a channel the bot is in, or a person's DM for a U/W id."""
        target = str(channel_id or "")
        if target[:1] in ("U", "W"):
            user = self.user(target, "channel_not_found")
            return self.dm_with(user.id)
        found = self.joined(target)
        if found.archived:
            raise ApiError("is_archived")
        return found

    def dm_with(self, user_id: str) -> Channel:
        for channel in self.channels.values():
            if channel.is_im and user_id in channel.members:
                return channel
        dm = Channel(
            id=self.new_id("D"),
            name=user_id,
            is_private=True,
            is_im=True,
            creator=self.bot_user_id,
            created=int(time.time()),
            members=[self.bot_user_id, user_id],
        )
        self.channels[dm.id] = dm
        return dm

    def existing_dm(self, user_id: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.is_im and user_id in c.members), None)

    def issue_trigger(self, user_id: str | None) -> str:
        trigger_id = f"{next(self._seq)}.{int(time.time())}.{secrets.token_hex(16)}"
        trigger = Trigger(trigger_id, user_id, self.clock())
        self.triggers[trigger.id] = trigger
        return trigger.id

    def use_trigger(self, trigger_id: Any) -> Trigger:
        """A trigger opens one view, within three seconds of the interaction that carried it."""
        trigger = self.triggers.get(str(trigger_id or ""))
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if self.clock() - trigger.issued > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger
