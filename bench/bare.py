"""The baseline of the acknowledgement figures: a Bolt app that only acknowledges.

It answers the same command, button and modal as leakbot, with a ``WebClient`` pointed at the
same stand-in, behind the same WSGI server (with the threads it needs: ``bench.processes``);
so leakbot's figure divided by this one is how leakbot's acknowledgement compares with a
plain Bolt app's.

Run as ``python -m bench.bare --port N`` (the benchmark starts it); the token and the signing
secret come from ``BENCH_BOT_TOKEN`` and ``BENCH_SIGNING_SECRET``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import waitress
from slack_bolt import Ack, App
from slack_sdk import WebClient

from leakbot.slack.http import make_wsgi_app
from leakbot.slack.ids import Action, View

#: Bolt's pool of listener threads here: as many as the WSGI server's (``SERVER_THREADS``).
LISTENER_THREADS = 16


def build_bare_app(signing_secret: str, token: str, api_url: str) -> App:
    """A Bolt app as one is built to do its Web API work after ``ack()``: each listener on
    Bolt's pool of listener threads, answered as soon as it acknowledges
    (``process_before_response=False``, Bolt's default). leakbot runs its listeners on the
    request's own thread instead, because none of them calls the Web API (its worker process
    does): docs/performance.md measures it against this app both ways."""
    app = App(
        signing_secret=signing_secret,
        client=WebClient(token=token, base_url=api_url),
        process_before_response=False,
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="bolt"),
        raise_error_for_unhandled_request=False,
    )

    def only_ack(ack: Ack) -> None:
        ack()

    app.command("/leak")(only_ack)
    app.action(Action.COMPLETE_STEP.value)(only_ack)
    app.view(View.STEP_INPUTS.value)(only_ack)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--api-url", required=True)
    args = parser.parse_args(argv)
    app = build_bare_app(
        os.environ["BENCH_SIGNING_SECRET"], os.environ["BENCH_BOT_TOKEN"], args.api_url
    )
    wsgi = make_wsgi_app(app, lambda: True, signing_secret=os.environ["BENCH_SIGNING_SECRET"])
    waitress.serve(wsgi, host=args.host, port=args.port, threads=args.threads, ident="leakbot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
