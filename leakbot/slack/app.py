"""The Bolt app, built by a factory: never at import time."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize

from leakbot.domain.errors import Refused
from leakbot.slack import unavailable
from leakbot.slack.envelope_checks import ShapeCheck, refusal_response
from leakbot.slack.listeners import register_all
from leakbot.slack.runtime import SlackRuntime

log = logging.getLogger(__name__)


class _TokenNotices(logging.Filter):
    """Bolt warns that a token is unused when a client and ``authorize`` are given; leakbot
    gives both on purpose (one client, no ``auth.test`` before the first acknowledgement)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return not ("will be ignored" in text or "will be unused" in text)


class OneWorkspace(Authorize):
    """One workspace, one bot token: nothing to look up, and no ``auth.test`` call before the
    first acknowledgement (Bolt's default would make one, and wait for Slack). An ``Authorize``
    of its own, not a function Bolt would match arguments to on every request."""

    def __init__(self, token: str | None) -> None:
        self._token = token

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=self._token)


def build_app(rt: SlackRuntime, signing_secret: str) -> App:
    bolt_log = logging.getLogger("leakbot.bolt")
    if not any(isinstance(f, _TokenNotices) for f in bolt_log.filters):
        bolt_log.addFilter(_TokenNotices())
    token = rt.client.token

    app = App(
        signing_secret=signing_secret,
        client=rt.client,
        authorize=OneWorkspace(token),
        logger=bolt_log,
        # Each listener runs on the request's own thread, and the request is answered when it
        # returns: a listener only records its intent (acknowledged by whichever thread
        # commits it) and makes no Web API call (the worker does), so it returns within
        # milliseconds. No pool of listener threads, and no 10 ms look for ``ack()`` by the
        # request's thread, stands between the commit and the answer (docs/performance.md).
        process_before_response=True,
        token_verification_enabled=False,
        # Over HTTP the edge verified the signature before Bolt saw the request
        # (``leakbot.slack.edge``, the only way in); Socket Mode has none to verify.
        request_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )
    app.use(ShapeCheck())
    register_all(app, rt)

    @app.error
    def on_error(
        error: Exception, body: dict[str, Any], response: BoltResponse | None
    ) -> BoltResponse | None:
        if isinstance(error, Refused):
            # Raised while reading the request, before the acknowledgement: a private answer.
            return refusal_response(body, error.reason) if response is not None else None
        # One handler for the Slack edge: the kind of request and the error type, never the
        # payload (it holds confidential text).
        kind = body.get("type") or body.get("command") or "request"
        if isinstance(error, rt.deps.storage_errors):
            # The request could not be recorded (or read for): the person is told, in words,
            # that nothing was done, in the acknowledgement itself.
            log.warning("database unavailable for a %s request (%s)", kind, type(error).__name__)
            answer = unavailable.answer(body, rt.tell_to)
            return answer if response is not None else None  # None: already acknowledged
        log.error("unhandled %s in %s", type(error).__name__, kind, exc_info=error)
        return BoltResponse(status=500, body="") if response is not None else None

    return app
