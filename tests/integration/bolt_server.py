"""A Bolt app of a test's own behind a real WSGI server on loopback, reached with signed
requests (``SlackRequester``), and the stand-in of Slack it talks to."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from leakbot.devslack import SlackRequester, SlackStandIn

SECRET = "stand-in-signing-secret"
SEC = "U0SEC00001"
GENERAL = "C0GENERAL01"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 64  # 20 clients at once on a loaded machine: no connection is reset


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def general_standin() -> Iterator[SlackStandIn]:
    """A stand-in whose one person (``SEC``) is in #general (``GENERAL``)."""
    with SlackStandIn(users=[SEC]) as running:
        running.add_channel("general", channel_id=GENERAL, members=[SEC])
        yield running


@contextmanager
def serving(app: App, standin: SlackStandIn, threads: bool = True) -> Iterator[SlackRequester]:
    """``app`` served until the block ends; a requester signing with ``SECRET``."""
    server = make_server(
        "127.0.0.1",
        0,
        SlackRequestHandler(app),
        server_class=_ThreadingWSGIServer if threads else WSGIServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield SlackRequester(f"http://127.0.0.1:{server.server_port}", SECRET, standin=standin)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
