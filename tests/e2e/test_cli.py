"""The ``leakbot`` command as an operator runs it: a real process, exit codes, messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from running import leakbot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_version_and_help_exit_zero(tmp_path: Path) -> None:
    assert leakbot("--version", cwd=tmp_path).stdout.startswith("leakbot ")
    assert "playbook" in leakbot("--help", cwd=tmp_path).stdout


def test_bad_usage_exits_two(tmp_path: Path) -> None:
    result = leakbot("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_the_bundled_playbook_checks_clean(tmp_path: Path) -> None:
    result = leakbot("playbook", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "supplier-leak.yaml" in result.stdout


def test_playbook_check_names_the_template_line_where_asterisks_would_print(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parents[2] / "templates", templates)
    path = templates / "penalty_demand.zh.md.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("（小写：**", "（小写**："), encoding="utf-8")
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "（小写**：" in t)
    result = leakbot("playbook", "check", cwd=tmp_path, env={"LEAKBOT_TEMPLATES": str(templates)})
    assert result.returncode == 1
    assert f"{path}:{line}: Markdown markup left in the letter: `（小写**：CNY" in result.stdout + (
        result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "name,expected",
    [
        ("cycle.yaml", "cycle"),
        ("unknown_dependency.yaml", "after"),
        ("duplicate_step.yaml", "duplicate"),
        ("bad_duration.yaml", "due"),
        ("unknown_key.yaml", "unknown key"),
    ],
)
def test_a_broken_playbook_is_reported_with_file_and_line_and_exit_one(
    tmp_path: Path, name: str, expected: str
) -> None:
    path = FIXTURES / "playbooks" / name
    result = leakbot("playbook", "check", str(path), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines, result.stderr
    assert all(line.startswith(f"{path}:") for line in lines), lines
    assert expected in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_a_broken_config_stops_serve_at_start_with_its_lines(tmp_path: Path) -> None:
    config = FIXTURES / "config" / "every_problem.yaml"
    env = {
        "LEAKBOT_CONFIG": str(config),
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s3cr3t",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    result = leakbot("serve", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert f"{config}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()  # nothing written to the database


def test_serve_without_a_token_says_which_variable_is_missing(tmp_path: Path) -> None:
    result = leakbot("serve", cwd=tmp_path)
    assert result.returncode == 1
    assert "SLACK_BOT_TOKEN" in result.stderr


def test_db_upgrade_then_audit_verify_of_a_missing_incident(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'leakbot.db'}"}
    assert leakbot("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    result = leakbot("audit", "verify", "LEAK-7", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "LEAK-7" in result.stderr


def test_a_malformed_incident_reference_is_a_user_error(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'leakbot.db'}"}
    result = leakbot("notices", "export", "LEAK-x", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "LEAK-12" in result.stderr


def test_socket_mode_that_cannot_connect_says_so_in_one_line(tmp_path: Path) -> None:
    from leakbot.devslack import SlackStandIn

    with SlackStandIn() as standin:  # it does not offer Socket Mode: Slack would refuse alike
        env = {
            "SLACK_BOT_TOKEN": standin.token,
            "SLACK_APP_TOKEN": "xapp-1-not-a-real-token",
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'leakbot.db'}",
        }
        result = leakbot("socket", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "Socket Mode could not connect" in result.stderr
    assert "Traceback" not in result.stderr
