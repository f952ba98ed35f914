"""The app as Slack installed it: Slack grants the bot token the scopes the app's manifest
(``manifest.yml``) asks for. The stand-in reads the same manifest the app is created from, where
leakbot keeps it: inside an installed package (``leakbot/_bundled/``) or beside the ``leakbot/``
folder of a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml


def manifest_path() -> Path:
    package = Path(__file__).resolve().parents[1]
    inside = package / "_bundled" / "manifest.yml"
    return inside if inside.exists() else package.parent / "manifest.yml"


@cache
def granted_scopes() -> tuple[str, ...]:
    """``oauth_config.scopes.bot`` of the manifest, in its order."""
    doc = yaml.safe_load(manifest_path().read_text(encoding="utf-8")) or {}
    scopes = ((doc.get("oauth_config") or {}).get("scopes") or {}).get("bot") or []
    return tuple(str(s) for s in scopes)
