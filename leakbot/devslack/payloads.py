"""The bodies Slack sends to an app: slash commands, interactivity payloads and event envelopes.

Shapes follow Slack's documentation of each request type, trimmed to the fields Bolt and leakbot
read, so that a listener tested with them sees what it will see from Slack.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Identity:
    """The workspace and app a request comes from."""

    team_id: str = "T0LEAKBOT1"
    team_domain: str = "leakbot-stand-in"
    api_app_id: str = "A0LEAKBOT1"
    bot_user_id: str = "U0LEAKBOT1"
    bot_id: str = "B0LEAKBOT1"
    verification_token: str = "legacy-verification-token"

    def team(self) -> dict[str, str]:
        return {"id": self.team_id, "domain": self.team_domain}

    def user(self, user_id: str) -> dict[str, str]:
        name = user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}


def slash_command(
    who: Identity,
    *,
    user_id: str,
    text: str,
    channel_id: str,
    command: str,
    trigger_id: str,
    response_url: str,
) -> dict[str, str]:
    """Form fields of a slash command invocation."""
    return {
        "token": who.verification_token,
        "team_id": who.team_id,
        "team_domain": who.team_domain,
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else channel_id.lower(),
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": who.api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def view_state(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A plain string stands for a plain_text_input's value; dicts are passed as they are."""
    return {
        block_id: {
            action_id: (
                {"type": "plain_text_input", "value": value} if isinstance(value, str) else value
            )
            for action_id, value in actions.items()
        }
        for block_id, actions in values.items()
    }


def view(
    who: Identity,
    *,
    view_id: str,
    callback_id: str,
    private_metadata: str,
    values: dict[str, dict[str, Any]],
    view_hash: str,
    base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "type": "modal",
        "blocks": [],
        "title": {"type": "plain_text", "text": "leakbot"},
        **(base or {}),
        "id": view_id,
        "team_id": who.team_id,
        "callback_id": callback_id,
        "private_metadata": private_metadata,
        "state": {"values": view_state(values)},
        "hash": view_hash,
        "root_view_id": view_id,
        "previous_view_id": None,
        "app_id": who.api_app_id,
        "external_id": "",
        "bot_id": who.bot_id,
    }


def block_actions(
    who: Identity,
    *,
    user_id: str,
    action: dict[str, Any],
    channel_id: str,
    message_ts: str,
    trigger_id: str,
    response_url: str,
    view: dict[str, Any] | None,
) -> dict[str, Any]:
    """A click on a message's button, or inside a modal when ``view`` is given."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": who.user(user_id),
        "api_app_id": who.api_app_id,
        "token": who.verification_token,
        "trigger_id": trigger_id,
        "team": who.team(),
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id")}
        payload["view"] = view
        return payload
    payload["container"] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    payload["channel"] = {"id": channel_id, "name": channel_id.lower()}
    payload["message"] = {"type": "message", "ts": message_ts, "user": who.bot_user_id}
    payload["state"] = {"values": {}}
    payload["response_url"] = response_url
    return payload


def button(action_id: str, value: str, block_id: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "text": {"type": "plain_text", "text": value},
        "action_ts": f"{time.time():.6f}",
    }


def message_action(
    who: Identity,
    *,
    user_id: str,
    callback_id: str,
    channel_id: str,
    message: dict[str, Any],
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    """A message shortcut: the whole message it was used on, its channel, a trigger id and a
    response_url (message shortcuts only)."""
    return {
        "type": "message_action",
        "token": who.verification_token,
        "action_ts": f"{time.time():.6f}",
        "team": who.team(),
        "user": who.user(user_id),
        "channel": {"id": channel_id, "name": channel_id.lower()},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message.get("ts"),
        "message": message,
    }


def view_submission(
    who: Identity, *, user_id: str, trigger_id: str, view: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": who.team(),
        "user": who.user(user_id),
        "api_app_id": who.api_app_id,
        "token": who.verification_token,
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
        "enterprise": None,
        "is_enterprise_install": False,
    }


def view_closed(
    who: Identity, *, user_id: str, view: dict[str, Any], is_cleared: bool
) -> dict[str, Any]:
    return {
        "type": "view_closed",
        "team": who.team(),
        "user": who.user(user_id),
        "api_app_id": who.api_app_id,
        "token": who.verification_token,
        "view": view,
        "is_cleared": is_cleared,
        "enterprise": None,
        "is_enterprise_install": False,
    }


def event_callback(who: Identity, event: dict[str, Any], event_id: str | None) -> dict[str, Any]:
    """The Events API envelope around ``event``; a retry must reuse the first ``event_id``."""
    return {
        "token": who.verification_token,
        "team_id": who.team_id,
        "api_app_id": who.api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": who.team_id,
                "user_id": who.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def url_verification(who: Identity, challenge: str) -> dict[str, Any]:
    return {"token": who.verification_token, "challenge": challenge, "type": "url_verification"}
