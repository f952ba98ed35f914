"""The table of Web API methods leakbot calls, and the check every call to the stand-in gets.

The table is generated from Slack's published reference (``scripts/refresh_slack_methods.py``),
so a call the stand-in accepts is a call Slack documents: a misspelt argument or a forgotten
required one shows up in tests rather than in production.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class MethodSpec:
    name: str
    http_method: str
    rate_tier: str
    json_body: bool
    required: frozenset[str]
    args: frozenset[str]
    errors: frozenset[str]
    bot_scopes: tuple[str, ...]


@cache
def load_methods() -> dict[str, MethodSpec]:
    """Read ``methods.json`` once, on first use rather than at import."""
    text = resources.files(__package__).joinpath("methods.json").read_text(encoding="utf-8")
    table = json.loads(text)
    common = frozenset(table.get("common_errors", ()))
    return {
        name: MethodSpec(
            name=name,
            http_method=entry["http_method"],
            rate_tier=entry["rate_tier"],
            json_body=entry["json_body"],
            required=frozenset(entry["required"]),
            args=frozenset(entry["args"]),
            errors=frozenset(entry["errors"]) | common,
            bot_scopes=tuple(entry["scopes"]["bot"]),
        )
        for name, entry in table["methods"].items()
    }


# slack_sdk adds ``team_id`` to every call of a client that knows its team (Bolt's per-request
# client does); Slack accepts it everywhere and uses it only for org-wide tokens.
SDK_DEFAULT_ARGS = frozenset({"team_id"})


def violations(
    name: str, args: Mapping[str, Any], *, has_token: bool, json_body: bool
) -> list[str]:
    """What is wrong with a call, one readable line per fault; empty when the call is sound.

    A ``None`` or empty value counts as absent, as it does for Slack.
    """
    spec = load_methods().get(name)
    if spec is None:
        return [f"{name}: unknown method (not in methods.json)"]
    present = {key for key, value in args.items() if value is not None and value != ""}
    if has_token:
        present.add("token")
    missing = sorted(spec.required - present)
    found = [f"{name}: missing required argument '{key}'" for key in missing]
    unknown = sorted(present - spec.args - SDK_DEFAULT_ARGS)
    found += [f"{name}: unknown argument '{key}'" for key in unknown]
    if json_body and not spec.json_body:
        found.append(f"{name}: sent as a JSON body, which this method does not read")
    return found
