"""The line between the acknowledging process and its worker process.

One Unix socket pair of type ``SOCK_SEQPACKET``: each message arrives whole, and when one side
is gone (exited, killed) the other reads an end of file. Messages are small JSON objects:

- to the worker: ``carry`` (the ids of intents just recorded together: ``trigger``, those bound
  to a trigger, to carry out first, and ``other``), ``kick``
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
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)

#: The longest message read; longer ones are never sent (``send`` refuses them).
MAX_MESSAGE = 256 * 1024
#: The most intent ids in one ``carry`` message (each up to 20 digits and a comma: well
#: under ``MAX_MESSAGE``); a batch with more is sent as several.
CARRY_IDS = 4096

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

    def carry(self, handed: Sequence[tuple[int, bool]]) -> None:
        # one per batch recorded: written out, not through the JSON encoder
        for start in range(0, len(handed), CARRY_IDS):
            part = handed[start : start + CARRY_IDS]
            first = b",".join(b"%d" % i for i, trigger_bound in part if trigger_bound)
            then = b",".join(b"%d" % i for i, trigger_bound in part if not trigger_bound)
            message = b'{"t":"carry","trigger":[%s],"other":[%s]}' % (first, then)
            if not self._send_bytes(message):
                log.debug(
                    "%s intent(s): the worker was not reached; its poll picks them up", len(part)
                )

    def kick(self) -> None:
        self._send({"t": "kick"})  # the worker's poll performs it otherwise

    def say(self, reply: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        if not self._send({"t": "say", "reply": reply, "text": text, "blocks": blocks}):
            log.warning("a private message could not be passed to the worker; it is not sent")
