"""SlackRequester: sends the signed requests Slack sends, to a running leakbot, over real HTTP.

Each request is signed the way Slack signs it, so Bolt's verification runs for real; ``stale``
and ``bad_signature`` produce the requests a verifier must refuse. One requester is safe to
share between threads: every request opens its own connection. With a stand-in, every
acknowledgement body that comes back is checked as Slack reads it (Block Kit rules, see
``blockkit.validate_ack``) and what breaks the rules is recorded in the stand-in.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

from . import payloads
from .payloads import Identity
from .server import SlackStandIn
from .signing import sign

STALE_BY = 6 * 60  # seconds: past the 5-minute window verifiers allow


class Reply(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class SlackRequester:
    def __init__(
        self,
        base_url: str,
        signing_secret: str,
        *,
        standin: SlackStandIn | None = None,
        identity: Identity | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        self.signing_secret = signing_secret
        self.standin = standin
        self.timeout = timeout
        if identity is None and standin is not None:
            identity = Identity(
                team_id=standin.team_id,
                api_app_id=standin.workspace.app_id,
                bot_user_id=standin.bot_user_id,
                bot_id=standin.workspace.bot_id,
            )
        self.identity = identity or Identity()
        self._local = threading.local()  # the last request each thread sent, for ``resend``

    # -- what Slack hands out with an interaction ---------------------------------------------

    def _trigger(self, trigger_id: str | None, user_id: str) -> str:
        if trigger_id:
            return trigger_id
        if self.standin is not None:
            return self.standin.new_trigger_id(user_id)
        return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:16]}"

    def _response_url(self, response_url: str | None, user_id: str, channel_id: str) -> str:
        if response_url:
            return response_url
        if self.standin is not None:
            return self.standin.new_response_url(user_id, channel_id)
        return f"https://hooks.slack.com/commands/{self.identity.team_id}/{uuid.uuid4().hex}"

    # -- request types ------------------------------------------------------------------------

    def slash_command(
        self,
        user_id: str,
        text: str = "",
        *,
        channel_id: str = "C0GENERAL01",
        trigger_id: str | None = None,
        response_url: str | None = None,
        command: str = "/leak",
        stale: bool = False,
        bad_signature: bool = False,
    ) -> Reply:
        fields = payloads.slash_command(
            self.identity,
            user_id=user_id,
            text=text,
            channel_id=channel_id,
            command=command,
            trigger_id=self._trigger(trigger_id, user_id),
            response_url=self._response_url(response_url, user_id, channel_id),
        )
        return self._checked(
            "slash_commands", self._command(fields, stale=stale, bad_signature=bad_signature)
        )

    def block_action(
        self,
        user_id: str,
        action_id: str,
        value: str = "",
        *,
        block_id: str = "actions",
        channel_id: str = "C0GENERAL01",
        message_ts: str = "1700000000.000100",
        view: dict[str, Any] | None = None,
        action: dict[str, Any] | None = None,
        trigger_id: str | None = None,
        response_url: str | None = None,
        stale: bool = False,
        bad_signature: bool = False,
    ) -> Reply:
        """A button click; ``action`` replaces the button for other elements (selects…)."""
        payload = payloads.block_actions(
            self.identity,
            user_id=user_id,
            action=action or payloads.button(action_id, value, block_id),
            channel_id=channel_id,
            message_ts=message_ts,
            trigger_id=self._trigger(trigger_id, user_id),
            response_url="" if view else self._response_url(response_url, user_id, channel_id),
            view=view,
        )
        return self._checked(
            "block_actions", self._interaction(payload, stale=stale, bad_signature=bad_signature)
        )

    def message_shortcut(
        self,
        user_id: str,
        callback_id: str,
        channel_id: str,
        message: dict[str, Any],
        *,
        trigger_id: str | None = None,
        response_url: str | None = None,
        stale: bool = False,
        bad_signature: bool = False,
    ) -> Reply:
        """A message shortcut used on ``message`` (as ``SlackStandIn.message_payload`` gives)."""
        payload = payloads.message_action(
            self.identity,
            user_id=user_id,
            callback_id=callback_id,
            channel_id=channel_id,
            message=message,
            trigger_id=self._trigger(trigger_id, user_id),
            response_url=self._response_url(response_url, user_id, channel_id),
        )
        return self._interaction(payload, stale=stale, bad_signature=bad_signature)

    def view_submission(
        self,
        user_id: str,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        *,
        private_metadata: str = "",
        view_id: str = "V0000000001",
        hash: str = "1700000000.abcdef",
        view: dict[str, Any] | None = None,
        trigger_id: str | None = None,
        stale: bool = False,
        bad_signature: bool = False,
    ) -> Reply:
        """``values[block_id][action_id]`` is a state value; a string means a text input."""
        shown = payloads.view(
            self.identity,
            view_id=view_id,
            callback_id=callback_id,
            private_metadata=private_metadata,
            values=values,
            view_hash=hash,
            base=view,
        )
        payload = payloads.view_submission(
            self.identity,
            user_id=user_id,
            trigger_id=self._trigger(trigger_id, user_id),
            view=shown,
        )
        reply = self._interaction(payload, stale=stale, bad_signature=bad_signature)
        return self._checked("view_submission", reply, submitted=shown)

    def view_closed(
        self,
        user_id: str,
        callback_id: str,
        *,
        private_metadata: str = "",
        view_id: str = "V0000000001",
        hash: str = "1700000000.abcdef",
        is_cleared: bool = False,
        stale: bool = False,
        bad_signature: bool = False,
    ) -> Reply:
        shown = payloads.view(
            self.identity,
            view_id=view_id,
            callback_id=callback_id,
            private_metadata=private_metadata,
            values={},
            view_hash=hash,
        )
        payload = payloads.view_closed(
            self.identity, user_id=user_id, view=shown, is_cleared=is_cleared
        )
        return self._interaction(payload, stale=stale, bad_signature=bad_signature)

    def event(
        self,
        event: dict[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        event_id: str | None = None,
        stale: bool = False,
        bad_signature: bool = False,
    ) -> Reply:
        """An Events API delivery; a redelivery carries Slack's X-Slack-Retry-* headers."""
        envelope = payloads.event_callback(self.identity, event, event_id)
        return self._event(
            envelope, retry_num, retry_reason, stale=stale, bad_signature=bad_signature
        )

    def url_verification(
        self, challenge: str, *, stale: bool = False, bad_signature: bool = False
    ) -> Reply:
        payload = payloads.url_verification(self.identity, challenge)
        return self._json(payload, {}, stale=stale, bad_signature=bad_signature)

    # -- sending (a transport replaces these three) --------------------------------------------

    def _command(self, fields: dict[str, str], *, stale: bool, bad_signature: bool) -> Reply:
        return self._form(fields, stale=stale, bad_signature=bad_signature)

    def _event(
        self,
        envelope: dict[str, Any],
        retry_num: int | None,
        retry_reason: str,
        *,
        stale: bool,
        bad_signature: bool,
    ) -> Reply:
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self._json(envelope, headers, stale=stale, bad_signature=bad_signature)

    def _checked(
        self, request_type: str, reply: Reply, submitted: dict[str, Any] | None = None
    ) -> Reply:
        """``reply`` as it came, its body checked by the stand-in as Slack would read it."""
        if self.standin is not None and reply.status == 200:
            self.standin.check_acknowledgement(request_type, reply.body, submitted)
        return reply

    def _interaction(self, payload: dict[str, Any], *, stale: bool, bad_signature: bool) -> Reply:
        fields = {"payload": json.dumps(payload)}
        return self._form(fields, stale=stale, bad_signature=bad_signature)

    def _form(self, fields: dict[str, str], *, stale: bool, bad_signature: bool) -> Reply:
        body = urlencode(fields).encode("utf-8")
        content_type = "application/x-www-form-urlencoded"
        return self.post(body, content_type, {}, stale=stale, bad_signature=bad_signature)

    def _json(
        self, payload: dict[str, Any], headers: dict[str, str], *, stale: bool, bad_signature: bool
    ) -> Reply:
        body = json.dumps(payload).encode("utf-8")
        return self.post(
            body, "application/json", headers, stale=stale, bad_signature=bad_signature
        )

    def post(
        self,
        body: bytes,
        content_type: str,
        headers: dict[str, str],
        *,
        stale: bool = False,
        bad_signature: bool = False,
    ) -> Reply:
        """Sign ``body`` as Slack would and POST it; any HTTP status comes back as a Reply."""
        timestamp = int(time.time()) - (STALE_BY if stale else 0)
        secret = self.signing_secret + ("-wrong" if bad_signature else "")
        sent = {
            **headers,
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": sign(secret, timestamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        self._local.last = (body, sent)
        return self._deliver(body, sent)

    def resend(self, headers: dict[str, str] | None = None) -> Reply:
        """Send the last request this thread sent again, byte for byte with the same timestamp
        and signature (a replay), with ``headers`` added (e.g. Slack's ``X-Slack-Retry-Num``)."""
        last = getattr(self._local, "last", None)
        if last is None:
            raise RuntimeError("nothing was sent yet")
        body, sent = last
        return self._deliver(body, {**sent, **(headers or {})})

    def _deliver(self, body: bytes, sent: dict[str, str]) -> Reply:
        parts = urlsplit(self.url)
        connection_type = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_type(parts.netloc, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request("POST", parts.path or "/", body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - started
            return Reply(response.status, dict(response.getheaders()), data, elapsed)
        finally:
            connection.close()
