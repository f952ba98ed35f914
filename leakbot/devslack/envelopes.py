"""SocketModeRequester: the requests ``SlackRequester`` signs and POSTs, sent instead as Socket
Mode envelopes through the stand-in's WebSocket endpoint to a connected app.

The same payloads (slash command fields, interactivity payloads, event envelopes) travel in
envelopes of type ``slash_commands``, ``interactive`` and ``events_api``; what comes back is the
app's acknowledgement, read as a ``Reply``: status 200 and the ack's ``payload`` as the JSON
body (empty when the ack has none), or status 504 and no body when no ack came in time (Slack
would then redeliver an event: send it again with ``retry_num``). A
Socket Mode connection is authenticated when it opens, so nothing is signed; ``stale`` and
``bad_signature`` have no meaning here and are refused.
"""

from __future__ import annotations

import json
import time
from typing import Any

from .payloads import Identity
from .requests import Reply, SlackRequester
from .server import SlackStandIn
from .socket_mode import Envelope, EnvelopeType

#: What each interaction lets the app answer with in its ack (Slack's Socket Mode guide).
_ACCEPTS_PAYLOAD: dict[EnvelopeType, bool] = {
    "slash_commands": True,
    "interactive": True,
    "events_api": False,
}


class SocketModeRequester(SlackRequester):
    def __init__(
        self,
        standin: SlackStandIn,
        *,
        identity: Identity | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__("ws://socket-mode", "", standin=standin, identity=identity)
        self.socket_mode = standin.socket_mode
        self.timeout = timeout

    def _command(self, fields: dict[str, str], *, stale: bool, bad_signature: bool) -> Reply:
        _unsigned(stale, bad_signature)
        return self._send("slash_commands", dict(fields))

    def _interaction(self, payload: dict[str, Any], *, stale: bool, bad_signature: bool) -> Reply:
        _unsigned(stale, bad_signature)
        return self._send("interactive", payload)

    def _event(
        self,
        envelope: dict[str, Any],
        retry_num: int | None,
        retry_reason: str,
        *,
        stale: bool,
        bad_signature: bool,
    ) -> Reply:
        _unsigned(stale, bad_signature)
        return self._send(
            "events_api",
            envelope,
            retry_attempt=retry_num or 0,
            retry_reason=retry_reason if retry_num else "",
        )

    def _checked(
        self, request_type: str, reply: Reply, submitted: dict[str, Any] | None = None
    ) -> Reply:
        return reply  # the endpoint checked the ack's payload as it arrived

    def url_verification(
        self, challenge: str, *, stale: bool = False, bad_signature: bool = False
    ) -> Reply:
        raise ValueError("Slack sends no url_verification over Socket Mode")

    def post(self, *args: Any, **kwargs: Any) -> Reply:
        raise ValueError("a Socket Mode app has no request URL to POST to")

    def _send(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
    ) -> Reply:
        started = time.perf_counter()
        envelope = self.socket_mode.deliver(
            kind,
            payload,
            accepts_response_payload=_ACCEPTS_PAYLOAD[kind],
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            timeout=self.timeout,
        )
        return as_reply(envelope, time.perf_counter() - started)


def as_reply(envelope: Envelope, elapsed: float) -> Reply:
    ack = envelope.ack
    if ack is None:
        return Reply(504, {}, b"", elapsed)
    if ack.payload is None:
        return Reply(200, {}, b"", elapsed)
    body = json.dumps(ack.payload).encode("utf-8")
    return Reply(200, {"Content-Type": "application/json"}, body, elapsed)


def _unsigned(stale: bool, bad_signature: bool) -> None:
    if stale or bad_signature:
        raise ValueError("Socket Mode envelopes are not signed: stale/bad_signature do not apply")
