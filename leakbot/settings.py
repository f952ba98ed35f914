"""Settings from the environment (CONTRACT §3). The only module that reads ``os.environ``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leakbot.domain.evidence import DEFAULT_MAX_BYTES
from leakbot.operator_errors import UserError

SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///leakbot.db"
_PLACEHOLDERS = {"", "changeme", "change-me", "xoxb-your-token", "secret", "your-signing-secret"}


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def log_level(default: str, env: Mapping[str, str] | None = None) -> str:
    """``LEAKBOT_LOG_LEVEL`` (case-insensitive), else ``default``."""
    env = os.environ if env is None else env
    given = (env.get("LEAKBOT_LOG_LEVEL") or "").strip()
    if not given:
        return default
    if given.upper() not in LOG_LEVELS:
        raise UserError(f"LEAKBOT_LOG_LEVEL: `{given}` must be one of {', '.join(LOG_LEVELS)}")
    return given.upper()


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str
    database_url: str
    config_path: Path | None  # None: ./leakbot.yaml, else the bundled example
    playbooks_dir: Path | None  # None: the bundled playbooks
    templates_dir: Path | None  # None: the bundled templates
    timezone: ZoneInfo
    port: int | None
    #: how long a process may hold a piece of owed Slack work before another may take it over
    outbox_lease_seconds: int = 120
    #: keep evidence files in this folder instead of the database
    evidence_dir: Path | None = None
    #: the largest evidence file kept, in bytes
    evidence_max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        api_url = env.get("SLACK_API_URL") or SLACK_API_URL
        if not api_url.endswith("/"):
            api_url += "/"
        tz_name = env.get("LEAKBOT_TIMEZONE") or "UTC"
        try:
            tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise UserError(f"LEAKBOT_TIMEZONE: `{tz_name}` is not an IANA time zone") from None
        port_text = env.get("PORT")
        try:
            port = int(port_text) if port_text else None
        except ValueError:
            port = -1
        if port is not None and not 0 <= port <= 65535:
            raise UserError(f"PORT: `{port_text}` is not a port number (0 to 65535)")

        lease_text = env.get("LEAKBOT_OUTBOX_LEASE") or "120"
        try:
            lease = int(lease_text)
        except ValueError:
            lease = 0
        if lease < 5:
            raise UserError(f"LEAKBOT_OUTBOX_LEASE: `{lease_text}` must be 5 seconds or more")

        max_text = env.get("LEAKBOT_EVIDENCE_MAX_MB") or ""
        try:
            max_bytes = int(float(max_text) * 1024 * 1024) if max_text else DEFAULT_MAX_BYTES
        except ValueError:
            max_bytes = 0
        if max_bytes <= 0:
            raise UserError(f"LEAKBOT_EVIDENCE_MAX_MB: `{max_text}` must be a positive number")

        def path(name: str) -> Path | None:
            value = env.get(name)
            return Path(value) if value else None

        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            api_url=api_url,
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            config_path=path("LEAKBOT_CONFIG"),
            playbooks_dir=path("LEAKBOT_PLAYBOOKS"),
            templates_dir=path("LEAKBOT_TEMPLATES"),
            timezone=tz,
            port=port,
            outbox_lease_seconds=lease,
            evidence_dir=path("LEAKBOT_EVIDENCE_DIR"),
            evidence_max_bytes=max_bytes,
        )

    def require(self, command: str, *names: str) -> None:
        """Refuse to start ``command`` without the variables it needs, or with placeholders."""
        values = {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
            "SLACK_APP_TOKEN": self.app_token,
        }
        missing = [n for n in names if not (values.get(n) or "").strip()]
        if missing:
            raise UserError(f"`{command}` needs {', '.join(missing)} in the environment")
        placeholders = [n for n in names if (values.get(n) or "").strip().lower() in _PLACEHOLDERS]
        if placeholders:
            raise UserError(
                f"{', '.join(placeholders)} is set to a placeholder, which is refused; "
                "copy the real value from the Slack app's settings"
            )
        if "SLACK_BOT_TOKEN" in names and not (self.bot_token or "").startswith("xoxb-"):
            raise UserError("SLACK_BOT_TOKEN must be a bot token (xoxb-…)")
        if "SLACK_APP_TOKEN" in names and not (self.app_token or "").startswith("xapp-"):
            raise UserError("SLACK_APP_TOKEN must be an app-level token (xapp-…)")
