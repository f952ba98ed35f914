"""Text as Slack shows it: escaping, dates, mentions, money and channel names.

Everything a person typed passes through ``esc`` before it reaches a Slack text field, so a
report that contains ``<!channel>`` or ``<@U123>`` shows those characters and pings nobody.
Slack decodes ``&amp;``, ``&lt;`` and ``&gt;`` for display in every text object, so the same
escaping is right for ``plain_text`` and ``mrkdwn`` alike.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

MAX_CHANNEL_NAME = 80
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")
_ESCAPED_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]{2,})&gt;")


def esc(text: str) -> str:
    """The three control characters of Slack text as entities; nothing else changes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_len(text: str) -> int:
    """``text``'s length as Slack's limits are counted here: in UTF-16 code units, so an emoji
    outside the Basic Multilingual Plane counts two. Never less than Slack's own count."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (``slack_len``) with an ellipsis, never inside an
    entity or a character."""
    if slack_len(text) <= limit:
        return text
    room, kept = max(limit - 1, 0), 0
    for end, ch in enumerate(text):
        kept += 2 if ord(ch) > 0xFFFF else 1
        if kept > room:
            cut = text[:end]
            break
    else:  # pragma: no cover - slack_len(text) > limit means the loop breaks
        cut = text
    cut = _ENTITY_TAIL.sub("", cut)  # "&am" left of the cut would show as garbage
    return cut + "…"


def user_text(text: str | None, limit: int = 3000) -> str:
    """Typed text made safe for Slack and short enough for its field."""
    return clip(esc(text or ""), limit)


def mention(user_id: str | None) -> str:
    """``<@U…>`` for a Slack user id; anything else is shown, escaped, as typed."""
    if not user_id:
        return "nobody"
    if _USER_ID.match(user_id):
        return f"<@{user_id}>"
    return esc(user_id)


def keep_mentions(escaped: str) -> str:
    """Undo the escaping of plain user mentions only (used for refusals the rules wrote)."""
    return _ESCAPED_MENTION.sub(r"<@\1>", escaped)


def when(dt: datetime, tz: ZoneInfo) -> str:
    """Slack's date token: each reader sees their own zone; the fallback is the incident's."""
    aware = dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    epoch = int(aware.timestamp())
    fallback = aware.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z").strip()
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{esc(fallback)}>"


def money(value: Any) -> str:
    """``{"amount": "1000000.00", "currency": "CNY"}`` as ``CNY 1,000,000.00``."""
    if isinstance(value, dict):
        try:
            amount = Decimal(str(value.get("amount", "")))
        except InvalidOperation:
            return esc(str(value.get("amount", "")))
        return f"{esc(str(value.get('currency', '')))} {amount:,.2f}".strip()
    return esc(str(value))


def _ascii_slug(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_SLUG.sub("-", ascii_only).strip("-")


def channel_name(number: int, title: str) -> str:
    """``leak-<n>-<slug>``: lower case, a-z 0-9 - _ only, at most 80 characters.

    Accents are dropped (``Café`` gives ``cafe``); a title with no ASCII letters or digits
    (all Chinese, say) gives ``leak-<n>-incident``.
    """
    prefix = f"leak-{number}-"
    slug = _ascii_slug(title)[: MAX_CHANNEL_NAME - len(prefix)].rstrip("-")
    return prefix + (slug or "incident")


def channel_name_variant(name: str, attempt: int) -> str:
    """The name to try when ``name`` is taken: attempt 1 is ``name`` itself, then ``-2``, ``-3``…

    The suffix always fits: the name is shortened first so the result stays within 80.
    """
    if attempt <= 1:
        return name[:MAX_CHANNEL_NAME].rstrip("-_")
    suffix = f"-{attempt}"
    return name[: MAX_CHANNEL_NAME - len(suffix)].rstrip("-_") + suffix
