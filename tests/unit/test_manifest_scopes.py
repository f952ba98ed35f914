"""The app manifest's bot scopes, as an installed leakbot reads them, and the stand-in's token."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leakbot.devslack import SlackStandIn
from leakbot.devslack.installed_app import granted_scopes
from leakbot.slack.manifest import bot_scopes

REPO = Path(__file__).resolve().parents[2]


def test_the_bot_scopes_are_the_manifests_and_the_manifest_ships_in_the_wheel() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text("utf-8"))
    assert bot_scopes() == tuple(manifest["oauth_config"]["scopes"]["bot"])
    assert {"groups:write", "users:read", "usergroups:read"} <= set(bot_scopes())
    wheel = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["hatch"]["build"]
    assert wheel["targets"]["wheel"]["force-include"]["manifest.yml"] == (
        "leakbot/_bundled/manifest.yml"
    )


def test_the_stand_in_sends_the_tokens_scopes_and_refuses_a_method_it_lacks_one_for() -> None:
    with SlackStandIn(scopes=("chat:write",)) as standin:
        client = WebClient(token=standin.token, base_url=standin.api_url)
        auth = client.auth_test()
        assert auth.headers["x-oauth-scopes"] == "chat:write"
        with pytest.raises(SlackApiError) as refused:
            client.conversations_create(name="leak-1-x", is_private=True)
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["provided"] == "chat:write"


def test_the_stand_in_grants_by_default_the_scopes_the_manifest_asks_for() -> None:
    assert granted_scopes() == bot_scopes()
    with SlackStandIn() as standin:
        auth = WebClient(token=standin.token, base_url=standin.api_url).auth_test()
    assert auth.headers["x-oauth-scopes"] == ",".join(bot_scopes())
