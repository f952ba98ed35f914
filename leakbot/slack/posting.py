"""Posting a message once, even across a crash between Slack's answer and its record.

Every message leakbot posts carries Slack message metadata naming the effect it belongs to
(``event_type`` ``leakbot_effect``, ``event_payload.key``). When an effect is performed again
and its earlier outcome was never recorded (the process died after Slack posted, or Slack's
answer was lost), the conversation is looked up first (``conversations.history`` or, in a
thread, ``conversations.replies``, with ``include_all_metadata``): a message already there is
taken as posted instead of being posted a second time. A first attempt makes no lookup.

Files (a notice delivered to a DM) carry no metadata; they are found by name among the
conversation's messages since the effect was owed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

EVENT_TYPE = "leakbot_effect"
#: How far before the effect was owed a lookup reaches back, in seconds (clocks differ).
SLACK = 120
PAGE = 200
#: Lookup errors that no retry fixes.
UNREADABLE = {"missing_scope", "not_in_channel", "channel_not_found", "thread_not_found"}
#: Pages read at most in one lookup: an effect is looked for among recent messages only.
MOST_PAGES = 10


@dataclass(frozen=True)
class Once:
    """What makes one performance of an owed effect findable again."""

    #: the effect's own key (the outbox item's id), parts of it are suffixed
    key: str
    #: whether an earlier attempt may have reached Slack (so look before posting)
    again: bool
    #: when the effect was owed: nothing of it can be older
    since: datetime

    def part(self, name: str) -> Once:
        return Once(f"{self.key}:{name}", self.again, self.since)


def metadata(key: str) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key}}


def post_once(
    client: WebClient,
    once: Once,
    *,
    channel: str,
    thread_ts: str | None = None,
    look: bool | None = None,
    **message: Any,
) -> str:
    """Post a message (``chat.postMessage``) unless the same effect already did; its ts.

    ``look`` overrides whether to look first (default: when ``once.again``).
    """
    if (once.again if look is None else look) and (
        found := find(client, channel, once.key, once.since, thread_ts)
    ):
        log.info("effect %s was already posted; not posting it again", once.key)
        return found
    if thread_ts:
        message["thread_ts"] = thread_ts
    resp = client.chat_postMessage(channel=channel, metadata=metadata(once.key), **message)
    return str(resp["ts"])


def find(
    client: WebClient,
    channel: str,
    key: str,
    since: datetime,
    thread_ts: str | None = None,
) -> str | None:
    """The ts of the message carrying ``key``, posted since ``since``; None if none is."""
    for message in _recent(client, channel, since, thread_ts):
        meta = message.get("metadata") or {}
        if (
            meta.get("event_type") == EVENT_TYPE
            and (meta.get("event_payload") or {}).get("key") == key
        ):
            return str(message["ts"])
    return None


def find_file(client: WebClient, channel: str, name: str, since: datetime) -> str | None:
    """The ts of a message sharing a file called ``name``, posted since ``since``."""
    for message in _recent(client, channel, since, None):
        if any((f or {}).get("name") == name for f in message.get("files") or []):
            return str(message["ts"])
    return None


def _recent(
    client: WebClient, channel: str, since: datetime, thread_ts: str | None
) -> list[dict[str, Any]]:
    oldest = f"{max(since.timestamp() - SLACK, 0):.6f}"
    found: list[dict[str, Any]] = []
    cursor = None
    try:
        for _ in range(MOST_PAGES):
            if thread_ts:
                resp = client.conversations_replies(
                    channel=channel,
                    ts=thread_ts,
                    oldest=oldest,
                    limit=PAGE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
            else:
                resp = client.conversations_history(
                    channel=channel,
                    oldest=oldest,
                    limit=PAGE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
            found += resp.get("messages") or []
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
    except SlackApiError as e:
        error = e.response.get("error") if e.response is not None else None
        if error not in UNREADABLE:
            raise  # Slack busy or down: the effect is retried later, still unposted
        # Not readable (a scope the app lacks, a channel the bot left): post, as without
        # lookups; the person at worst sees a line twice.
        log.warning("could not look for an earlier post (%s); posting", error)
    return found
