"""The line between the acknowledging process and its worker process.

One Unix socket pair of type ``SOCK_SEQPACKET``: each message arrives whole, and when one side
is gone (exited, killed) the other reads an end of file. Messages are small JSON objects:

- to the worker: ``carry`` (intents just recorded together, each as recorded so the worker
  need not read it back, or by its id alone if it is too long for a message: ``trigger``,
  those bound to a trigger, to carry out first, and ``other``), ``kick``
  (owed outbox work was committed), ``say`` (a private message to send now, unrecorded: only
  when the database could not record it);
- to the acknowledging process: ``ready``, and ``groups`` (a user group's members).

A message is never waited for: if the line is full or gone it is dropped, and the worker's
poll of the inbox finds what it would have said.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from leakbot.services.storage import INTENT_PENDING, Handed, Intent

log = logging.getLogger(__name__)

#: The longest message read; longer ones are never sent (``send`` refuses them).
MAX_MESSAGE = 256 * 1024
#: The longest a ``carry`` message's intents may be together (a batch longer than that is sent
#: as several messages, an intent longer than that by its id alone): a few messages of that
#: size fit in the line's buffer (the kernel's, about 208 KiB here) while the worker reads.
CARRY_ROOM = 64 * 1024

_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def _encoded(message: dict[str, Any]) -> bytes:
    return _ENCODER.encode(message).encode()


def pair() -> tuple[socket.socket, socket.socket]:
    """The two ends: the first stays in the parent, the second goes to the child."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


class Line:
    """One end of the line."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._lock = threading.Lock()

    @classmethod
    def from_fd(cls, fd: int) -> Line:
        return cls(socket.socket(fileno=fd))

    def send(self, message: dict[str, Any]) -> bool:
        """Send without waiting; False when it could not be sent now."""
        return self.send_bytes(_encoded(message))

    def send_bytes(self, data: bytes) -> bool:
        """``send`` of a message already encoded."""
        if len(data) > MAX_MESSAGE:
            return False
        try:
            with self._lock:
                self._sock.send(data, socket.MSG_DONTWAIT)
        except OSError:  # full (BlockingIOError), or the other side is gone
            return False
        return True

    def receive(self) -> dict[str, Any] | None:
        """The next message; None when the other side is gone."""
        while True:
            try:
                data = self._sock.recv(MAX_MESSAGE)
            except OSError:
                return None
            if not data:
                return None
            try:
                message = json.loads(data)
            except ValueError:
                log.warning("a malformed message on the worker line was ignored")
                continue
            if isinstance(message, dict):
                return message

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


class ToWorker:
    """The acknowledging process's ``Handoff`` (``leakbot.slack.runtime``): each call becomes a
    message to the worker process currently on the line."""

    def __init__(self) -> None:
        self._line: Line | None = None
        #: told of every message sent (e.g. ``IdleTrim.worked``)
        self.on_send: Callable[[], None] = lambda: None

    def attach(self, line: Line | None) -> None:
        self._line = line

    def _send(self, message: dict[str, Any]) -> bool:
        return self._send_bytes(_encoded(message))

    def _send_bytes(self, data: bytes) -> bool:
        self.on_send()
        line = self._line
        return line is not None and line.send_bytes(data)

    def carry(self, handed: Sequence[Handed]) -> None:
        for message, count in carry_messages(handed):  # one per batch recorded, if it fits
            if not self._send_bytes(message):
                log.debug("%s intent(s): the worker was not reached; its poll picks them up", count)

    def kick(self) -> None:
        self._send({"t": "kick"})  # the worker's poll performs it otherwise

    def say(self, reply: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        if not self._send({"t": "say", "reply": reply, "text": text, "blocks": blocks}):
            log.warning("a private message could not be passed to the worker; it is not sent")


def carry_messages(handed: Sequence[Handed]) -> Iterator[tuple[bytes, int]]:
    """``carry`` messages for these intents (and how many each holds), in their order: as
    few as fit them, each at most ``MAX_MESSAGE`` long."""
    lanes: dict[bool, list[bytes]] = {True: [], False: []}
    size = count = 0
    for h in handed:
        entry = _entry(h)
        if count and size + len(entry) + 1 > CARRY_ROOM:
            yield _carry(lanes), count
            lanes, size, count = {True: [], False: []}, 0, 0
        lanes[h.trigger_bound].append(entry)
        size, count = size + len(entry) + 1, count + 1
    if count:
        yield _carry(lanes), count


def _entry(h: Handed) -> bytes:
    intent = h.intent
    if intent is not None and h.held_until is not None:
        fields = [intent.id, intent.key, intent.kind, intent.payload]
        fields += [intent.created_at.isoformat(), h.held_until.isoformat()]
        entry = _ENCODER.encode(fields).encode()
        if len(entry) <= CARRY_ROOM:
            return entry
    return b"[%d]" % h.intent_id  # read back by the worker


def _carry(lanes: dict[bool, list[bytes]]) -> bytes:
    return b'{"t":"carry","trigger":[%s],"other":[%s]}' % (
        b",".join(lanes[True]),
        b",".join(lanes[False]),
    )


def handed_in(message: dict[str, Any]) -> list[Handed]:
    """A ``carry`` message's intents, the trigger-bound ones first."""
    first = [_handed(entry, True) for entry in message.get("trigger") or ()]
    return first + [_handed(entry, False) for entry in message.get("other") or ()]


def _handed(entry: list[Any], trigger_bound: bool) -> Handed:
    if len(entry) == 1:
        return Handed(int(entry[0]), trigger_bound)
    intent_id, key, kind, payload, at, until = entry
    # recorded claimed for the worker: pending, on its first attempt
    intent = Intent(
        int(intent_id),
        str(key),
        str(kind),
        dict(payload),
        INTENT_PENDING,
        1,
        datetime.fromisoformat(at),
    )
    return Handed(intent.id, trigger_bound, intent, datetime.fromisoformat(until))
