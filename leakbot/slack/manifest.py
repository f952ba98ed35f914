"""The Slack app's manifest (``manifest.yml``): the bot scopes the app asks for.

The manifest ships inside the package (``leakbot/_bundled/manifest.yml``) so an installed
leakbot can compare a token's granted scopes with what the app declares (``leakbot doctor``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from leakbot.loading.paths import bundled_manifest
from leakbot.operator_errors import UserError


@cache
def bot_scopes(path: Path | None = None) -> tuple[str, ...]:
    """``oauth_config.scopes.bot`` of the manifest, in its order."""
    path = path or bundled_manifest()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise UserError(f"{path}: cannot read the app manifest ({e})") from None
    scopes = (((doc or {}).get("oauth_config") or {}).get("scopes") or {}).get("bot")
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise UserError(f"{path}: oauth_config.scopes.bot is not a list of scopes")
    return tuple(scopes)
