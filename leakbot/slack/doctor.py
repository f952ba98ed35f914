"""``leakbot doctor``'s checks of the Slack side of a deployment, against the real workspace.

Each check is one line: the token works (``auth.test``), it was granted every bot scope the
app's manifest declares (Slack's ``x-oauth-scopes`` response header), the people and user
groups of the config's roles exist and are active, and the announce channel exists with the
bot in it. A check that cannot run because an earlier one failed says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from leakbot.domain.config import Config


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def _error(e: SlackClientError) -> str:
    if isinstance(e, SlackApiError) and isinstance(e.response.data, dict):
        data = e.response.data
        needed = f", needs {data['needed']}" if data.get("needed") else ""
        return f"{data.get('error') or 'refused'}{needed}"
    return f"Slack did not answer ({type(e).__name__})"


def slack_checks(
    client: WebClient, config: Config, declared: tuple[str, ...], manifest: str = "manifest.yml"
) -> Iterator[Check]:
    """The Slack checks in order; later ones are skipped when the token does not work."""
    try:
        auth = client.auth_test()
    except SlackClientError as e:
        yield Check("token", False, f"Slack refused it ({_error(e)}); check SLACK_BOT_TOKEN")
        for name in ("scopes", "users", "user groups", "announce channel"):
            yield Check(name, False, "not checked: the token does not work")
        return
    yield Check("token", True, f"works for @{auth.get('user')} in {auth.get('team')}")
    granted = [s.strip() for s in (auth.headers.get("x-oauth-scopes") or "").split(",")]
    missing = [s for s in declared if s not in granted]
    if missing:
        yield Check(
            "scopes",
            False,
            f"the token lacks {', '.join(missing)} (declared in {manifest}); add them to the "
            "app and reinstall it",
        )
    else:
        yield Check("scopes", True, f"the token has all {len(declared)} scopes {manifest} declares")
    yield _users(client, config)
    yield _groups(client, config)
    yield _announce(client, config)


def _members(config: Config, kind: tuple[str, ...]) -> dict[str, str]:
    """member id -> the config key that names it first."""
    found: dict[str, str] = {}
    for role, members in config.roles.items():
        for member in members:
            if member.startswith(kind):
                found.setdefault(member, f"roles.{role}")
    return found


def _users(client: WebClient, config: Config) -> Check:
    users = _members(config, ("U", "W"))
    bad: list[str] = []
    for user, key in users.items():
        try:
            info = client.users_info(user=user)["user"]
        except SlackClientError as e:
            bad.append(f"{user} ({key}): {_error(e)}")
            continue
        if info.get("deleted"):
            bad.append(f"{user} ({key}): deactivated")
    if bad:
        more = f" and {len(bad) - 2} more" if len(bad) > 2 else ""
        return Check("users", False, "; ".join(bad[:2]) + more)
    return Check(
        "users", True, f"all {len(users)} people in the config's roles exist and are active"
    )


def _groups(client: WebClient, config: Config) -> Check:
    groups = _members(config, ("S",))
    if not groups:
        return Check("user groups", True, "none in the config")
    try:
        listed = client.usergroups_list(include_disabled=True)["usergroups"]
    except SlackClientError as e:
        return Check("user groups", False, f"cannot list them ({_error(e)})")
    active = {g["id"] for g in listed if not g.get("date_delete")}
    known = {g["id"] for g in listed}
    bad = [
        f"{g} ({key}): {'disabled' if g in known else 'no such user group'}"
        for g, key in groups.items()
        if g not in active
    ]
    if bad:
        return Check("user groups", False, "; ".join(bad))
    return Check("user groups", True, f"all {len(groups)} user groups exist and are enabled")


def _announce(client: WebClient, config: Config) -> Check:
    channel = config.announce_channel
    if channel is None:
        return Check("announce channel", True, "none in the config")
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackClientError as e:
        return Check("announce channel", False, f"{channel}: {_error(e)}")
    name = f"#{info.get('name')}" if info.get("name") else channel
    if info.get("is_archived"):
        return Check("announce channel", False, f"{name} ({channel}) is archived")
    if not info.get("is_member"):
        return Check(
            "announce channel",
            False,
            f"the bot is not in {name} ({channel}); invite it there with /invite @leakbot",
        )
    return Check("announce channel", True, f"{name} ({channel}) exists and the bot is in it")
