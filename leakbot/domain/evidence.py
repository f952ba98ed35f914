"""Evidence: what was seen, where and when, kept with the SHA-256 of every file.

Pure values and rules; the store keeps the rows and the bytes, the services write them with
their audit entries.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

#: Slack's ``file_input`` takes at most 10 files per element.
MAX_FILES = 10
#: The largest file kept, unless ``LEAKBOT_EVIDENCE_MAX_MB`` says otherwise. Slack's own
#: ``file_input`` accepts files up to 10 MB; a message may carry larger ones.
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
MAX_LINKS = 20
MAX_NOTE = 2000

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class Source(StrEnum):
    UPLOAD = "upload"  # files added through the "Add evidence" modal
    MESSAGE = "message"  # a Slack message recorded with the message shortcut
    LINK = "link"  # addresses only, no file


class Status(StrEnum):
    PENDING = "pending"  # recorded; its files are still being fetched from Slack
    KEPT = "kept"  # every file fetched (or refused) and the audit entry written


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def item_ref(number: int) -> str:
    return f"E-{number}"


@dataclass(frozen=True)
class EvidenceFile:
    """One file of an item. ``sha256`` is None until it is fetched; ``refused`` says why a
    file was not kept (too large, not a file)."""

    slack_id: str
    name: str
    sha256: str | None = None
    size: int | None = None
    media_type: str | None = None
    refused: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "slack_id": self.slack_id,
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "refused": self.refused,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvidenceFile:
        return cls(
            slack_id=str(data.get("slack_id") or ""),
            name=str(data.get("name") or "file"),
            sha256=data.get("sha256"),
            size=data.get("size"),
            media_type=data.get("media_type"),
            refused=data.get("refused"),
        )


@dataclass(frozen=True)
class RecordedMessage:
    """A Slack message as the shortcut delivered it."""

    channel_id: str
    ts: str
    author: str
    text: str


@dataclass(frozen=True)
class EvidenceItem:
    incident_id: int
    number: int
    source: Source
    added_by: str
    added_at: datetime
    status: Status = Status.PENDING
    seen_at: datetime | None = None
    note: str = ""
    links: tuple[str, ...] = ()
    files: tuple[EvidenceFile, ...] = ()
    permalink: str | None = None
    message: RecordedMessage | None = None
    kept_at: datetime | None = None
    id: int | None = None

    @property
    def ref(self) -> str:
        return item_ref(self.number)

    @property
    def kept_files(self) -> tuple[EvidenceFile, ...]:
        return tuple(f for f in self.files if f.sha256 and not f.refused)


@dataclass(frozen=True)
class EvidenceForm:
    """What the "Add evidence" modal sent, before it is checked."""

    files: tuple[EvidenceFile, ...] = ()
    links_text: str = ""
    seen_at: datetime | None = None
    note: str = ""
    links: tuple[str, ...] = field(default=())


def parse_links(text: str) -> tuple[tuple[str, ...], str | None]:
    """Addresses one per line (or separated by spaces); (links, problem or None)."""
    words = [w.strip().strip("<>") for w in re.split(r"[\s,]+", text or "") if w.strip()]
    bad = [w for w in words if not _URL.match(w)]
    if bad:
        return (), f"“{bad[0][:80]}” is not a web address (http:// or https://)."
    if len(words) > MAX_LINKS:
        return (), f"At most {MAX_LINKS} addresses at a time."
    return tuple(dict.fromkeys(words)), None


def check_form(form: EvidenceForm, now: datetime) -> tuple[EvidenceForm, dict[str, str]]:
    """The form with its links parsed, and field errors (by field name) if any."""
    errors: dict[str, str] = {}
    links, problem = parse_links(form.links_text)
    if problem:
        errors["links"] = problem
    if len(form.files) > MAX_FILES:
        errors["files"] = f"At most {MAX_FILES} files at a time."
    if not form.files and not links and not problem:
        errors["files"] = "Add a file or a web address."
    if form.seen_at is not None and form.seen_at > now:
        errors["seen_at"] = "That moment is in the future."
    if len(form.note) > MAX_NOTE:
        errors["note"] = f"Keep the note under {MAX_NOTE} characters."
    checked = EvidenceForm(
        files=form.files,
        links_text=form.links_text,
        seen_at=form.seen_at,
        note=form.note,
        links=links,
    )
    return checked, errors


_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<!--")


def looks_like_html(content: bytes) -> bool:
    """Whether bytes are a web page (what Slack sends instead of a file when the token may
    not read it: a login page with status 200)."""
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_START)


def is_html_type(media_type: str | None) -> bool:
    return (media_type or "").split(";")[0].strip().lower() in (
        "text/html",
        "application/xhtml+xml",
    )


def size_words(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def message_record(message: RecordedMessage, permalink: str | None) -> bytes:
    """The message as kept: one JSON document, so its hash covers text, author, time and
    address together."""
    import json

    doc = {
        "channel": message.channel_id,
        "ts": message.ts,
        "author": message.author,
        "text": message.text,
        "permalink": permalink,
    }
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def message_time(ts: str) -> datetime | None:
    """A Slack message timestamp (``"1700000000.000100"``) as an aware datetime."""
    from datetime import UTC

    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (TypeError, ValueError, OverflowError):
        return None
