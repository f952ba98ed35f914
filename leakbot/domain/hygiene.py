"""Input hygiene, in one place: what text leakbot accepts from people, and how much of it.

Every piece of text that arrives from Slack (modal fields, step answers, reasons, slash command
words) goes through ``clean`` when it is read (``leakbot.slack.payloads``), and through
``check_text`` when it is checked (the report, step inputs, reasons). The same rules hold on
SQLite and PostgreSQL, because nothing that one of them would refuse (a NUL byte, an id longer
than its column, a number past 64 bits) reaches the database.

- Control characters (C0 and C1, NUL included) are removed; tabs and new lines are kept where a
  field takes several lines, and become spaces where it takes one.
- Bidirectional controls (U+202A–U+202E, U+2066–U+2069) are removed: they reorder what others
  see (``U+202E`` makes ``fdp.exe`` read as ``exe.pdf``).
- Text with nothing visible (only spaces, zero-width or other invisible characters) counts as
  empty: a required field says so in the modal.
- Every field has an upper bound (``LIMITS``, in characters), checked in the modal with a clear
  error on that field; the bounds fit Slack's own input limits (3,000 characters for a text
  input) and what the messages and notices have room for.
- Ids are checked by pattern before they are used: user ids, step ids, incident numbers.

Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Final

#: Upper bounds, in characters (or items for ``urls``). docs/configuration.md lists them.
LIMITS: Final = {
    "title": 150,  # a channel name and a notice heading carry it
    "asset": 300,
    "description": 3000,  # Slack's limit for a text input
    "url": 1000,  # one address
    "urls": 20,  # addresses in "where it appeared"
    "where_seen": 3000,  # the whole field, as typed
    "text": 300,  # a one-line step answer
    "long_text": 3000,  # a several-line step answer (Slack's limit)
    "reason": 1000,  # reopen / skip reasons (the modal's own max_length)
    "close_reason": 1000,  # /leak close <reason>
    "command": 4000,  # the whole text of a slash command
}
#: The largest number a ``number`` step input takes, either sign (well inside 64 bits).
MAX_NUMBER: Final = Decimal("1000000000000000")  # 10^15
#: Incident numbers are at most nine digits (``LEAK-999999999``), as ``parse_ref`` reads them.
MAX_INCIDENT_NUMBER: Final = 999_999_999
#: Draft ids and other database ids a button carries: well inside a signed 64-bit integer.
MAX_ROW_ID: Final = 10**15

USER_ID: Final = re.compile(r"^[UW][A-Z0-9]{2,31}$")
STEP_ID: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
VIEW_ID: Final = re.compile(r"^V[A-Z0-9]{2,31}$")

_BIDI: Final = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: Letters and symbols that draw nothing (they are not in a "format" or "space" category).
_BLANK_LOOKING: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cn"})


def _dropped(ch: str, multiline: bool) -> str | None:
    """What ``ch`` becomes: itself, a replacement, or None (removed)."""
    if ch in _BIDI:
        return None
    if ch == "\n":
        return "\n" if multiline else " "
    if ch == "\t":
        return "\t" if multiline else " "
    if ch in "\r\v\f\x85\u2028\u2029":
        return "\n" if multiline else " "
    if unicodedata.category(ch) == "Cc":  # C0, DEL and C1 controls, NUL included
        return None
    return ch


def clean(text: str, *, multiline: bool = True) -> str:
    """``text`` without control and bidirectional characters (``\\r\\n`` becomes ``\\n``)."""
    text = text.replace("\r\n", "\n")
    if text.isprintable():
        return text  # the common case: nothing to take out
    out = []
    for ch in text:
        kept = _dropped(ch, multiline)
        if kept is not None:
            out.append(kept)
    return "".join(out)


def has_visible(text: str) -> bool:
    """True when ``text`` draws at least one character (zero-width and spaces do not)."""
    return any(
        ch not in _BLANK_LOOKING and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        for ch in text
    )


def check_text(
    text: str | None, limit: int, *, required: bool = False, multiline: bool = False
) -> str:
    """``text`` cleaned and stripped, or ValueError with the end of a sentence whose subject
    is the field (``"is too long: …"``) when it is over ``limit`` characters, or required and
    has nothing visible. Text with nothing visible comes back as ``""``."""
    cleaned = clean(text or "", multiline=multiline).strip()
    if not has_visible(cleaned):
        if required:
            raise ValueError("is empty (or has nothing visible in it)")
        return ""
    if len(cleaned) > limit:
        raise ValueError(f"is too long: {len(cleaned):,} characters, {limit:,} at most")
    return cleaned


def is_user_id(text: str) -> bool:
    return bool(USER_ID.match(text or ""))


def is_step_id(text: str) -> bool:
    return bool(STEP_ID.match(text or ""))


def is_incident_number(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_INCIDENT_NUMBER
    )


def check_number(value: Decimal) -> Decimal:
    """ValueError unless ``value`` is at most ``MAX_NUMBER`` either way."""
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"is too large ({MAX_NUMBER:,} at most, either way)")
    return value
