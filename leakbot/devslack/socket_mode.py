"""Slack's side of Socket Mode on loopback: the WebSocket endpoint ``apps.connections.open``
hands out, speaking the protocol of Slack's Socket Mode guide.

- ``apps.connections.open`` (app-level token only) issues a single-use ``ws://`` URL;
- on connect the app gets ``hello`` (``num_connections``, ``debug_info``, ``connection_info``);
- requests arrive as envelopes (``slash_commands``, ``interactive``, ``events_api``) carrying
  ``envelope_id``, ``payload``, ``accepts_response_payload`` and, for events,
  ``retry_attempt`` / ``retry_reason``;
- the app acknowledges each with ``{"envelope_id": …}``, with an optional ``payload`` that is
  what the person sees (a slash command's answer, a modal's ``response_action``);
- WebSocket pings are answered with pongs and the endpoint pings the app in turn;
- ``disconnect`` (``refresh_requested``, ``warning``, ``link_disabled``) asks the app to open a
  new connection through ``apps.connections.open``; the old one is closed once it has.

The framing is the ``websockets`` library's; what is written here is Slack's protocol on top.
Anything an app does that Slack would not accept (an acknowledgement of an unknown envelope, a
second one, a message that is no acknowledgement) is listed in ``violations``; every ack's
payload goes to ``check_ack`` (the stand-in checks it against Slack's Block Kit rules).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

EnvelopeType = Literal["slash_commands", "interactive", "events_api"]
DisconnectReason = Literal["refresh_requested", "warning", "link_disabled"]
#: Slack shows an error (or retries an event) when a request is not acknowledged in time.
ACK_WINDOW = 3.0
#: How long a connection lasts before Slack refreshes it, as ``hello`` announces it.
CONNECTION_SECONDS = 3600

#: Checks an acknowledgement's payload for the envelope it answers, records what breaks
#: Slack's rules and returns it.
AckCheck = Callable[["Envelope", dict[str, Any]], list[str]]


@dataclass(frozen=True)
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    at: float
    link: int


@dataclass
class Envelope:
    """One request sent to the app, and the acknowledgements it got."""

    envelope_id: str
    type: EnvelopeType
    payload: dict[str, Any]
    accepts_response_payload: bool
    retry_attempt: int | None
    retry_reason: str | None
    link: int
    sent_at: float
    acks: list[Ack] = field(default_factory=list)
    acked: threading.Event = field(default_factory=threading.Event)

    def message(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "envelope_id": self.envelope_id,
            "type": self.type,
            "payload": self.payload,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api":
            body["retry_attempt"] = self.retry_attempt or 0
            body["retry_reason"] = self.retry_reason or ""
        return body

    @property
    def ack(self) -> Ack | None:
        return self.acks[0] if self.acks else None

    @property
    def ack_seconds(self) -> float | None:
        return None if not self.acks else self.acks[0].at - self.sent_at


@dataclass
class Link:
    """One WebSocket connection of the app."""

    number: int
    ticket: str
    connection: ServerConnection
    opened_at: float
    retiring: bool = False
    closed_at: float | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None


class SocketModeEndpoint:
    """The WebSocket side of the stand-in: hands out URLs, sends envelopes, reads acks."""

    def __init__(
        self,
        app_id: str,
        *,
        host: str = "127.0.0.1",
        ping_interval: float = 10.0,
        check_ack: AckCheck | None = None,
    ) -> None:
        self.app_id = app_id
        self.host = host
        self.ping_interval = ping_interval
        self.check_ack = check_ack
        self.port = 0
        self._lock = threading.Condition()
        self._tickets: dict[str, bool] = {}  # ticket -> used
        self._links: list[Link] = []
        self._envelopes: dict[str, Envelope] = {}
        self._violations: list[str] = []
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> SocketModeEndpoint:
        self._server = serve(
            self._handle,
            self.host,
            0,
            process_request=self._check_ticket,
            ping_interval=self.ping_interval,
            ping_timeout=self.ping_interval * 2,
            compression=None,
            server_header=None,
        )
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="devslack-socket-mode", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close every connection and stop listening; what was seen stays readable."""
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    @property
    def running(self) -> bool:
        return self._server is not None

    # -- apps.connections.open ---------------------------------------------------------------
    def open_url(self) -> str:
        """A new single-use WebSocket URL, as ``apps.connections.open`` returns it."""
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets[ticket] = False
        return f"ws://{self.host}:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        ticket = (parse_qs(parts.query).get("ticket") or [""])[0]
        with self._lock:
            if parts.path != "/link/" or self._tickets.get(ticket) is not False:
                return connection.respond(401, "invalid or used ticket\n")
            self._tickets[ticket] = True
        return None

    # -- one connection ----------------------------------------------------------------------
    def _handle(self, connection: ServerConnection) -> None:
        ticket = (parse_qs(urlsplit(connection.request.path).query).get("ticket") or [""])[0]  # type: ignore[union-attr]
        with self._lock:
            link = Link(len(self._links) + 1, ticket, connection, time.time())
            self._links.append(link)
            live = sum(1 for k in self._links if k.open)
        hello = {
            "type": "hello",
            "num_connections": live,
            "debug_info": {
                "host": f"applink-stand-in-{link.number}",
                "started": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(link.opened_at)),
                "build_number": 1,
                "approximate_connection_time": CONNECTION_SECONDS,
            },
            "connection_info": {"app_id": self.app_id},
        }
        try:
            connection.send(json.dumps(hello))
            with self._lock:
                self._lock.notify_all()
            for message in connection:
                self._receive(link, message)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                link.closed_at = time.time()
                self._lock.notify_all()

    def _receive(self, link: Link, message: str | bytes) -> None:
        try:
            body = json.loads(message)
        except (ValueError, UnicodeDecodeError):
            self._violation(f"socket mode: a message that is not JSON on connection {link.number}")
            return
        envelope_id = body.get("envelope_id") if isinstance(body, dict) else None
        if not isinstance(envelope_id, str):
            self._violation("socket mode: a message with no envelope_id (only acks are read)")
            return
        payload = body.get("payload")
        if payload is not None and not isinstance(payload, dict):
            self._violation(f"socket mode: ack of {envelope_id} with a payload that is no object")
            payload = None
        with self._lock:
            envelope = self._envelopes.get(envelope_id)
            if envelope is None:
                self._violations.append(f"socket mode: ack of unknown envelope {envelope_id}")
                return
            envelope.acks.append(Ack(envelope_id, payload, time.time(), link.number))
            if len(envelope.acks) > 1:
                self._violations.append(f"socket mode: envelope {envelope_id} acknowledged twice")
                return
        if payload and self.check_ack is not None:
            self.check_ack(envelope, payload)  # it records what it finds
        envelope.acked.set()

    def _violation(self, text: str) -> None:
        with self._lock:
            self._violations.append(text)

    # -- what Slack sends --------------------------------------------------------------------
    def wait_for_links(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until ``count`` connections have been opened in all, the newest one open."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not (len(self._links) >= count and self._current() is not None):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the app did not open Socket Mode connection #{count}")
                self._lock.wait(left)

    def _current(self) -> Link | None:
        live = [k for k in self._links if k.open and not k.retiring]
        return live[-1] if live else None

    def deliver(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        timeout: float = 10.0,
    ) -> Envelope:
        """Send one envelope on the app's current connection and wait for its ack (up to
        ``timeout``); the envelope comes back either way, its ``acks`` empty if none came."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while (link := self._current()) is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the app has no Socket Mode connection open")
                self._lock.wait(left)
            envelope = Envelope(
                envelope_id=str(uuid.uuid4()),
                type=kind,
                payload=payload,
                accepts_response_payload=accepts_response_payload,
                retry_attempt=retry_attempt,
                retry_reason=retry_reason,
                link=link.number,
                sent_at=time.time(),
            )
            self._envelopes[envelope.envelope_id] = envelope
        try:
            link.connection.send(json.dumps(envelope.message()))
        except ConnectionClosed:
            return envelope  # as Slack: sent into a closing connection, never acknowledged
        envelope.acked.wait(max(0.0, deadline - time.monotonic()))
        return envelope

    def disconnect(
        self, reason: DisconnectReason = "refresh_requested", *, timeout: float = 10.0
    ) -> None:
        """Ask the app to refresh its connection, as Slack does every few hours; returns once
        the app has opened a new one (for ``refresh_requested`` and ``warning``). The old
        connection is then closed."""
        with self._lock:
            old = [k for k in self._links if k.open]
            count = len(self._links)
            for link in old:
                link.retiring = True
        message = json.dumps(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-stand-in"}}
        )
        for link in old:
            with contextlib.suppress(ConnectionClosed):
                link.connection.send(message)
        if reason == "link_disabled":
            for link in old:
                link.connection.close()
            return
        self.wait_for_links(count + 1, timeout)
        for link in old:
            link.connection.close()

    # -- what was seen -----------------------------------------------------------------------
    @property
    def links(self) -> list[Link]:
        with self._lock:
            return list(self._links)

    @property
    def envelopes(self) -> list[Envelope]:
        with self._lock:
            return list(self._envelopes.values())

    @property
    def unacknowledged(self) -> list[Envelope]:
        return [e for e in self.envelopes if not e.acks]

    @property
    def late(self) -> list[Envelope]:
        """Envelopes acknowledged after Slack's 3 seconds (or not at all)."""
        return [e for e in self.envelopes if (e.ack_seconds or ACK_WINDOW + 1) > ACK_WINDOW]

    @property
    def violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)
