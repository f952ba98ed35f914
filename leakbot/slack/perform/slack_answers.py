"""Slack's answers, sorted once: what to retry, what to give up on, what to tell a person."""

from __future__ import annotations

import socket
import urllib.error
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from slack_sdk.errors import SlackApiError, SlackRequestError

from leakbot.services.outbox import GiveUp, Retry

#: Errors that mean Slack is busy or briefly broken: try again later.
TRANSIENT = {
    "ratelimited",
    "rate_limited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}

#: Errors no retry can fix, with what to tell the commander.
PERMANENT = {
    "channel_not_found": "the incident channel no longer exists",
    "is_archived": "the incident channel is archived",
    "not_in_channel": "the bot is no longer in the incident channel",
    "missing_scope": "the Slack app lacks a permission (scope); reinstall it from manifest.yml",
    "not_allowed_token_type": "the Slack token is of the wrong type",
    "invalid_auth": "the Slack token is not valid",
    "account_inactive": "the Slack token belongs to a deactivated app",
    "token_revoked": "the Slack token was revoked",
    "restricted_action": "the workspace does not let the app do this",
    "invalid_blocks": "Slack refused the message layout",
    "msg_too_long": "the message was too long for Slack",
    "cannot_create_channel": "Slack refused to create the incident channel",
}

T = TypeVar("T")


def error_code(exc: SlackApiError) -> str:
    data = exc.response.data if exc.response is not None else None
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def classify(exc: Exception) -> Exception:
    """The outbox's view of an exception from a Web API call: Retry or GiveUp."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code if exc.response is not None else 0
        code = error_code(exc)
        if status == 429 or status >= 500 or code in TRANSIENT or not code:
            after = None
            if exc.response is not None:
                header = exc.response.headers.get("Retry-After") or exc.response.headers.get(
                    "retry-after"
                )
                after = float(header[0] if isinstance(header, list) else header) if header else None
            return Retry(f"Slack answered {status} {code}".strip(), after)
        return GiveUp(PERMANENT.get(code, f"Slack refused it ({code})"))
    if isinstance(exc, urllib.error.URLError | ConnectionError | socket.timeout | TimeoutError):
        return Retry(f"Slack could not be reached ({type(exc).__name__})")
    if isinstance(exc, SlackRequestError):
        return Retry(f"Slack request failed ({exc})")
    return exc


@contextmanager
def outbox_errors() -> Iterator[None]:
    """Turn a Web API failure into the outbox's Retry or GiveUp; anything else propagates."""
    try:
        yield
    except (SlackApiError, SlackRequestError, urllib.error.URLError, OSError) as e:
        raise classify(e) from e


def call_ignoring(fn: Callable[[], T], *codes: str) -> T | None:
    """Call ``fn``; an ``ok: false`` with one of ``codes`` means "already so" and is fine."""
    try:
        return fn()
    except SlackApiError as e:
        if error_code(e) in codes:
            return None
        raise
