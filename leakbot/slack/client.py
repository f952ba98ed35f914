"""The Web API client: Slack's base URL from settings, slack_sdk's own retry handlers, and
connections kept alive between calls (``connections.py``)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from leakbot.slack.connections import keep_alive


def make_client(
    token: str, api_url: str, *, retries: int = 2, timeout: int = 10, role: str | None = None
) -> WebClient:
    """A client that waits out a 429 (Retry-After), and retries 5xx and dropped connections a
    few times before giving the error back; longer outages are the outbox's to ride out.

    ``role`` ends the User-Agent (``leakbot-worker``, ``leakbot-web``): which of leakbot's
    processes made a call shows in Slack's access logs (and in the stand-in's record).

    The process's calls to Slack (this client's, ``response_url`` posts, file downloads) are
    then made on kept-alive connections: ``keep_alive()``, once per process."""
    keep_alive()
    suffix = f"leakbot-{role}" if role else None
    client = WebClient(token=token, base_url=api_url, timeout=timeout, user_agent_suffix=suffix)
    client.retry_handlers = list(
        [
            RateLimitErrorRetryHandler(max_retry_count=retries),
            ServerErrorRetryHandler(max_retry_count=retries),
            ConnectionErrorRetryHandler(max_retry_count=retries),
        ]
    )
    return client
