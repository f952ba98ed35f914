"""People's names from Slack (``users.info``), for documents read outside Slack."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError


def slack_names(client: WebClient) -> Callable[[str], str | None]:
    """A lookup of a user id's real (or display) name, asked once per person; None when
    Slack does not say."""
    known: dict[str, str | None] = {}

    def name(user_id: str) -> str | None:
        if user_id not in known:
            try:
                user = client.users_info(user=user_id).get("user") or {}
            except (SlackApiError, SlackRequestError, OSError):
                return None
            profile = user.get("profile") or {}
            known[user_id] = (
                user.get("real_name")
                or profile.get("real_name")
                or profile.get("display_name")
                or user.get("name")
                or None
            )
        return known[user_id]

    return name
