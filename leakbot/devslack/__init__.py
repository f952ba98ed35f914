"""A local stand-in of Slack's Web API and a client that sends Slack's signed requests.

Used by leakbot's tests, ``leakbot demo`` and the benchmarks, so that the whole bot runs with no
Slack account while every Web API call is still checked against Slack's own method reference.
"""

from __future__ import annotations

from .requests import Reply, SlackRequester
from .server import Call, SlackStandIn
from .signing import sign
from .workspace import Channel, Ephemeral, Message, StoredFile, User

__all__ = [
    "Call",
    "Channel",
    "Ephemeral",
    "Message",
    "Reply",
    "SlackRequester",
    "SlackStandIn",
    "StoredFile",
    "User",
    "sign",
]
