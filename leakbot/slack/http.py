"""The WSGI application of ``leakbot serve``: ``POST /slack/events`` and ``GET /healthz``.

Slack requests pass ``leakbot.slack.edge`` (size, signature, shape) before Bolt sees them.
``SERVER_LIMITS`` are the waitress settings that go with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_sdk.signature import SignatureVerifier

from leakbot.slack.edge import MAX_BODY_BYTES, PARSED, Refusal, checked_environ, refuse

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

#: waitress settings for ``leakbot serve``: a body past the edge's limit is refused by the
#: server before it is buffered; Slack's headers are small; a client that stops sending is
#: dropped after 30 s; and a traceback is never sent to a client.
SERVER_LIMITS: dict[str, Any] = {
    "max_request_body_size": MAX_BODY_BYTES + 1,  # waitress refuses a body of this size
    "max_request_header_size": 32 * 1024,
    "channel_timeout": 30,
    "expose_tracebacks": False,
}


class ParsedOnce(SlackRequestHandler):
    """Bolt's WSGI adapter, handing Bolt the request as the edge parsed it: Bolt's own parse
    of the same body would come again, before the acknowledgement (a click's form-encoded
    payload of a few kilobytes takes about 0.2 ms to parse, a quarter of all a bare Bolt app
    does for it; docs/performance.md). The raw body stays the request's, as Bolt keeps it.
    Only behind the edge: every request it is given was checked and parsed there."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        parsed = request.environ[PARSED]
        raw = request.get_body()
        # A body given as parsed is taken only outside HTTP mode; it is an HTTP request still.
        bolt = BoltRequest(
            body=parsed,
            query=request.query_string,
            headers=request.get_headers(),
            mode="socket_mode",
        )
        bolt.raw_body, bolt.mode = raw, "http"
        return self.app.dispatch(bolt)


def make_wsgi_app(
    app: App,
    healthy: Callable[[], bool],
    *,
    signing_secret: str,
    worker: Callable[[], bool] | None = None,
) -> Callable[..., Iterable[bytes]]:
    """``healthy``: whether the database answers (it decides 200 or 503); ``worker``: whether
    the worker process is running (shown in the body: while it is restarted, requests are
    still recorded and acknowledged, and carried out once it is back)."""
    slack = ParsedOnce(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            ok = healthy()
            shown: dict[str, Any] = {"status": "ok" if ok else "unavailable", "database": ok}
            if worker is not None:
                shown["worker"] = working = worker()
                if ok and not working:
                    shown["status"] = "degraded"
            body = json.dumps(shown).encode()
            start_response(
                "200 OK" if ok else "503 Service Unavailable",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        if path == EVENTS_PATH and method == "POST":
            try:
                checked = checked_environ(verifier, environ)
            except Refusal as refusal:
                status, headers, refused = refuse(refusal)
                start_response(status, headers)
                return [refused]
            return slack(checked, start_response)
        body = b"Not Found"
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [body]

    return wsgi
