"""``leakbot doctor`` as an operator runs it: a real process against the stand-in of Slack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from running import leakbot

from leakbot.demo.world import ANNOUNCE, GROUPS, PEOPLE
from leakbot.devslack import SlackStandIn
from leakbot.loading.paths import bundled_example_config
from leakbot.slack.manifest import bot_scopes


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """The workspace of the bundled example config, the bot in its announce channel."""
    with SlackStandIn(users=PEOPLE, usergroups=GROUPS) as s:
        s.add_channel(ANNOUNCE[0], channel_id=ANNOUNCE[1])
        yield s


def doctor(standin: SlackStandIn, cwd: Path, **env: str) -> tuple[int, list[str]]:
    env = {
        "SLACK_BOT_TOKEN": standin.token,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": f"sqlite:///{cwd / 'leakbot.db'}",
        **env,
    }
    assert leakbot("db", "upgrade", cwd=cwd, env=env).returncode == 0
    result = leakbot("doctor", cwd=cwd, env=env)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout.splitlines()


def checks(lines: list[str]) -> dict[str, str]:
    """check name -> its line, for the lines that are checks."""
    found = {}
    for line in lines:
        if line.startswith(("ok ", "FAIL ")):
            found[line.split(None, 1)[1].split(":")[0]] = line
    return found


def test_doctor_passes_against_a_workspace_that_matches_the_config(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    code, lines = doctor(standin, tmp_path)
    found = checks(lines)
    assert code == 0, lines
    assert list(found) == [
        "token",
        "scopes",
        "users",
        "user groups",
        "announce channel",
        "database",
    ]
    assert all(line.startswith("ok ") for line in found.values()), lines
    assert f"all {len(bot_scopes())} scopes manifest.yml declares" in found["scopes"]
    assert "#leak-announcements" in found["announce channel"]
    called = [c.method for c in standin.calls]
    assert {"auth.test", "users.info", "usergroups.list", "conversations.info"} <= set(called)
    assert standin.violations == []


def test_a_token_without_groups_write_fails_the_scopes_check(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    standin.scopes = tuple(s for s in bot_scopes() if s != "groups:write")
    code, lines = doctor(standin, tmp_path)
    assert code == 1
    assert checks(lines)["scopes"].startswith("FAIL scopes: the token lacks groups:write")
    assert checks(lines)["users"].startswith("ok ")


def test_a_config_naming_a_user_who_does_not_exist_fails_the_users_check(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    config = bundled_example_config().read_text("utf-8")
    (tmp_path / "leakbot.yaml").write_text(config.replace("U0COM00001", "U0NOBODY01"), "utf-8")
    code, lines = doctor(standin, tmp_path)
    assert code == 1
    line = checks(lines)["users"]
    assert line.startswith("FAIL users: U0NOBODY01 (roles.comms): user_not_found"), line


def test_a_deactivated_user_a_disabled_group_and_a_channel_without_the_bot_each_fail(
    tmp_path: Path,
) -> None:
    people = [p for p in PEOPLE if p.id != "U0PRO00001"]
    with SlackStandIn(users=people) as standin:
        from leakbot.devslack import User

        standin.add_user(User("U0PRO00001", "wang.fang", deleted=True))
        standin.add_usergroup("S0LEGAL001", ["U0LEG00002"], disabled=True)
        standin.add_channel(ANNOUNCE[0], channel_id=ANNOUNCE[1], bot_is_member=False)
        code, lines = doctor(standin, tmp_path)
    found = checks(lines)
    assert code == 1
    assert found["users"] == "FAIL users: U0PRO00001 (roles.procurement): deactivated"
    assert found["user groups"] == "FAIL user groups: S0LEGAL001 (roles.legal): disabled"
    assert "the bot is not in #leak-announcements" in found["announce channel"]


def test_a_bad_token_and_a_database_not_migrated_name_their_checks(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-not-the-token",
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}",
    }
    result = leakbot("doctor", cwd=tmp_path, env=env)
    found = checks(result.stdout.splitlines())
    assert result.returncode == 1
    assert found["token"] == "FAIL token: Slack refused it (invalid_auth); check SLACK_BOT_TOKEN"
    assert found["scopes"].startswith("FAIL scopes: not checked")
    assert found["database"].startswith("FAIL database: no database at")
    assert not (tmp_path / "none.db").exists()
