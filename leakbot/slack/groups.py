"""User groups in the config's roles, expanded with ``usergroups.users.list``."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from leakbot.services.directory import GroupExpander


def group_expander(client: WebClient) -> GroupExpander:
    def expand(group_id: str) -> Sequence[str]:
        try:
            return list(client.usergroups_users_list(usergroup=group_id).get("users") or [])
        except (SlackApiError, SlackRequestError, OSError) as e:
            raise LookupError(f"user group {group_id}: {e}") from e

    return expand
