"""Every operator mistake, made by a real ``leakbot`` process in a fresh folder: exit 1 (2 for
bad usage), one to three lines, no traceback, and the wrong thing named in the message."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from running import leakbot as run_leakbot
from running import start_leakbot
from serving import free_port
from sqlalchemy import text

from leakbot.domain.incident import Incident
from leakbot.loading.paths import bundled_example_config
from leakbot.store.db import make_engine, make_session_factory, parse_url, upgrade
from leakbot.store.uow import UnitOfWork

TOKENS = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cr3t-value"}


def leakbot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_leakbot(*args, cwd=cwd, env=env)


def one_clear_line(result: subprocess.CompletedProcess[str], *named: str, code: int = 1) -> str:
    """The mistake's message, after checking it is short, has no traceback and names ``named``."""
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == code, output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert 1 <= len(lines) <= 3, output
    for name in named:
        assert name in output, output
    return output


# --- the database ----------------------------------------------------------------------------
def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set")
    return url


@pytest.mark.postgres
def test_a_postgresql_database_that_does_not_exist_is_named(tmp_path: Path) -> None:
    name = f"leakbot_missing_{uuid.uuid4().hex[:8]}"
    url = parse_url(postgres_url()).set(database=name).render_as_string(hide_password=False)
    for command in (("db", "upgrade"), ("audit", "verify", "1")):
        result = leakbot(*command, cwd=tmp_path, DATABASE_URL=url)
        one_clear_line(result, name, "does not exist")


@pytest.mark.postgres
def test_a_wrong_postgresql_port_is_named(tmp_path: Path) -> None:
    port = free_port()
    url = parse_url(postgres_url()).set(port=port).render_as_string(hide_password=False)
    result = leakbot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url)
    one_clear_line(result, f"port {port}", "refused")


@pytest.mark.postgres
def test_a_wrong_postgresql_user_is_named_and_the_password_is_not(tmp_path: Path) -> None:
    user = f"nobody_{uuid.uuid4().hex[:8]}"
    url = parse_url(postgres_url()).set(username=user, password="hunter2")
    result = leakbot(
        "serve", "--port", "0", cwd=tmp_path, DATABASE_URL=url.render_as_string(False), **TOKENS
    )
    message = one_clear_line(result, user)
    assert "hunter2" not in message


def test_an_unsupported_driver_says_which_url_forms_are_supported(tmp_path: Path) -> None:
    result = leakbot("db", "upgrade", cwd=tmp_path, DATABASE_URL="mysql://u:p@localhost/leakbot")
    one_clear_line(result, "`mysql`", "sqlite:///", "postgresql+psycopg://")


def test_a_sqlite_file_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}"
    for command in (("db", "upgrade"), ("serve", "--port", "0")):
        result = leakbot(*command, cwd=tmp_path, DATABASE_URL=url, **TOKENS)
        one_clear_line(result, str(tmp_path / "missing" / "dir"), "does not exist")
    assert not (tmp_path / "missing").exists()


def test_a_corrupt_database_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.db").write_bytes(b"this is not SQLite\n" * 100)
    url = "sqlite:///broken.db"
    for command in (("db", "upgrade"), ("audit", "verify", "1"), ("serve", "--port", "0")):
        result = leakbot(*command, cwd=tmp_path, DATABASE_URL=url, **TOKENS)
        one_clear_line(result, "broken.db", "not a SQLite database")


def test_audit_verify_in_an_empty_folder_creates_no_database(tmp_path: Path) -> None:
    result = leakbot("audit", "verify", "1", cwd=tmp_path)
    one_clear_line(result, "no database at leakbot.db")
    result = leakbot("notices", "export", "1", cwd=tmp_path)
    one_clear_line(result, "no database at leakbot.db")
    assert list(tmp_path.iterdir()) == []


def test_a_database_that_is_not_migrated_is_not_changed_by_a_reading_command(
    tmp_path: Path,
) -> None:
    import sqlite3

    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    result = leakbot("audit", "verify", "1", cwd=tmp_path, DATABASE_URL="sqlite:///other.db")
    one_clear_line(result, "other.db", "leakbot db upgrade")
    tables = sqlite3.connect(tmp_path / "other.db").execute("SELECT name FROM sqlite_master")
    assert [row[0] for row in tables] == ["t"]


def test_one_deleted_audit_entry_is_at_most_three_lines(
    tmp_path: Path, make_incident: Callable[..., Incident]
) -> None:
    url = f"sqlite:///{tmp_path / 'leakbot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    at = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
    with UnitOfWork(make_session_factory(engine)) as uow:
        incident = uow.incidents.add(make_incident(number=1))
        assert incident.id is not None
        for n in range(30):
            uow.audit.append(incident.id, "U0SEC00001", "step.completed", f"s{n}", None, {}, at)
            at += timedelta(minutes=1)
        uow.commit()
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 5"))
    engine.dispose()
    result = leakbot("audit", "verify", "1", cwd=tmp_path, DATABASE_URL=url)
    one_clear_line(result, "LEAK-1", "entry 6")


# --- the environment and the command line -----------------------------------------------------
def test_a_placeholder_secret_is_called_a_placeholder(tmp_path: Path) -> None:
    env = {**TOKENS, "SLACK_SIGNING_SECRET": "secret"}
    message = one_clear_line(leakbot("serve", cwd=tmp_path, **env), "SLACK_SIGNING_SECRET")
    assert "placeholder" in message
    assert not (tmp_path / "leakbot.db").exists()


def test_a_missing_variable_is_named_without_a_doubled_prefix(tmp_path: Path) -> None:
    message = one_clear_line(leakbot("serve", cwd=tmp_path), "SLACK_BOT_TOKEN")
    assert "leakbot: leakbot" not in message


@pytest.mark.parametrize(
    "variable,value",
    [("PORT", "http"), ("PORT", "99999"), ("LEAKBOT_TIMEZONE", "Mars/Olympus"),
     ("LEAKBOT_OUTBOX_LEASE", "1")],
)  # fmt: skip
def test_a_bad_variable_is_named_with_its_value(tmp_path: Path, variable: str, value: str) -> None:
    one_clear_line(leakbot("serve", cwd=tmp_path, **{**TOKENS, variable: value}), variable, value)


@pytest.mark.parametrize(
    "args,named",
    [
        (("serve", "--port", "99999"), "--port"),
        (("serve", "--port", "web"), "--port"),
        (("serve", "--threads", "0"), "--threads"),
        (("notices", "export", "1", "--format", "pdf"), "--format"),
    ],
)
def test_bad_usage_exits_two_naming_the_option(
    tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    result = leakbot(*args, cwd=tmp_path, **TOKENS)
    output = result.stderr.strip()
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert named in output.splitlines()[-1]


def test_a_port_in_use_is_said_before_anything_claims_to_serve(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = leakbot("serve", "--host", "127.0.0.1", "--port", port, cwd=tmp_path, **TOKENS)
    message = one_clear_line(result, port, "already in use")
    assert "serving" not in message
    assert not (tmp_path / "leakbot.db").exists()  # it stopped before opening the database


def test_a_host_that_does_not_resolve_is_named(tmp_path: Path) -> None:
    result = leakbot("serve", "--host", "no-such-host.invalid", cwd=tmp_path, **TOKENS)
    one_clear_line(result, "no-such-host.invalid")


# --- files and folders ------------------------------------------------------------------------
def test_notices_export_to_a_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = leakbot("notices", "export", "1", "--out", "notes.txt", cwd=tmp_path)
    one_clear_line(result, "notes.txt", "is a file")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_demo_out_that_is_a_file_stops_before_the_story(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    one_clear_line(leakbot("demo", "--out", "notes.txt", cwd=tmp_path), "notes.txt")


@pytest.mark.parametrize("command", [("playbook", "check"), ("serve", "--port", "0")])
def test_a_config_that_is_a_folder_is_named(tmp_path: Path, command: tuple[str, ...]) -> None:
    (tmp_path / "conf").mkdir()
    result = leakbot(*command, cwd=tmp_path, LEAKBOT_CONFIG="conf", **TOKENS)
    one_clear_line(result, "conf", "folder")


def test_a_config_that_is_not_text_is_named(tmp_path: Path) -> None:
    (tmp_path / "leakbot.yaml").write_bytes(b"\xff\xfe\x00roles")
    result = leakbot("playbook", "check", cwd=tmp_path)
    one_clear_line(result, "leakbot.yaml", "UTF-8")


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    result = leakbot("playbook", "check", cwd=tmp_path, LEAKBOT_CONFIG="nope.yaml")
    one_clear_line(result, "nope.yaml", "no such file")


def test_a_missing_playbooks_folder_is_named(tmp_path: Path) -> None:
    result = leakbot("serve", cwd=tmp_path, LEAKBOT_PLAYBOOKS="pb", **TOKENS)
    one_clear_line(result, "pb", "no such file or folder")


def test_a_missing_templates_folder_is_named_once(tmp_path: Path) -> None:
    result = leakbot("playbook", "check", cwd=tmp_path, LEAKBOT_TEMPLATES="tpl")
    output = one_clear_line(result, "tpl")
    assert len(output.splitlines()) == 1


def test_an_unquoted_clause_is_hinted_as_written(tmp_path: Path) -> None:
    config = bundled_example_config().read_text(encoding="utf-8")
    assert 'clause: "9.2"' in config
    (tmp_path / "leakbot.yaml").write_text(config.replace('clause: "9.2"', "clause: 9.10"))
    result = leakbot("playbook", "check", cwd=tmp_path)
    one_clear_line(result, "leakbot.yaml:", '"9.10"')


# --- the files in use, and everything serve would load ----------------------------------------
REPO_PLAYBOOK = Path(__file__).resolve().parents[2] / "playbooks" / "supplier-leak.yaml"


def own_setup(folder: Path, *, config: bool = True, playbooks: bool = True) -> None:
    """A working folder with its own copies of the bundled config, playbooks and templates."""
    from leakbot.loading.paths import bundled_playbooks_dir, bundled_templates_dir

    if config:
        (folder / "leakbot.yaml").write_text(bundled_example_config().read_text("utf-8"), "utf-8")
    if playbooks:
        (folder / "playbooks").mkdir()
        for path in bundled_playbooks_dir().glob("*.yaml"):
            (folder / "playbooks" / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (folder / "templates").mkdir()
    for path in bundled_templates_dir().glob("*.j2"):
        (folder / "templates" / path.name).write_text(path.read_text("utf-8"), "utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_playbook_check_in_a_fresh_folder_says_it_checks_the_bundled_examples(
    tmp_path: Path,
) -> None:
    result = leakbot("playbook", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == ["config", "playbooks", "templates"]
    assert all("the bundled example" in line for line in lines[:3])


def test_playbook_check_checks_the_working_folders_own_playbooks(tmp_path: Path) -> None:
    own_setup(tmp_path)
    result = leakbot("playbook", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert all("from the working folder" in line for line in result.stdout.splitlines()[:3])
    edit(tmp_path / "playbooks" / "supplier-leak.yaml", "owner: security", "owner: secruity")
    result = leakbot("playbook", "check", cwd=tmp_path)
    own = tmp_path / "playbooks" / "supplier-leak.yaml"
    message = one_clear_line(result, f"{own}:", "'secruity'", "did you mean 'security'")
    assert "_bundled" not in message


def test_a_role_misspelt_in_the_config_is_reported_at_its_config_line(tmp_path: Path) -> None:
    own_setup(tmp_path, playbooks=False)
    config = tmp_path / "leakbot.yaml"
    edit(config, "  security: [U0SEC00001]", "  secruity: [U0SEC00001]")
    line = config.read_text("utf-8").splitlines().index("  secruity: [U0SEC00001]") + 1
    result = leakbot("playbook", "check", cwd=tmp_path)
    one_clear_line(result, f"{config}:{line}: roles.secruity:", "did you mean 'security'")


def test_a_notice_locale_with_no_templates_is_named_at_its_config_line(tmp_path: Path) -> None:
    own_setup(tmp_path, playbooks=False)
    config = tmp_path / "leakbot.yaml"
    edit(config, "# notice_locales: [en, zh]", "notice_locales: [en, fr]")
    result = leakbot("playbook", "check", cwd=tmp_path)
    one_clear_line(result, f"{config}:", "notice_locales[1]", "'fr'", "there are: en, zh")


def test_a_missing_template_in_a_suppliers_locale_is_named(tmp_path: Path) -> None:
    own_setup(tmp_path, playbooks=False)
    (tmp_path / "templates" / "breach_notice.zh.md.j2").unlink()
    result = leakbot("playbook", "check", cwd=tmp_path)
    one_clear_line(result, "leakbot.yaml:", "breach_notice.zh.md.j2", "bjmold")


def test_a_role_no_step_uses_is_a_warning_at_its_line(tmp_path: Path) -> None:
    own_setup(tmp_path, playbooks=False)
    edit(
        tmp_path / "leakbot.yaml",
        "  comms: [U0COM00001]",
        "  comms: [U0COM00001]\n  finance: [U0FIN00001]",
    )
    result = leakbot("playbook", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "leakbot.yaml:9: roles.finance: warning:" in result.stderr


def test_serve_says_which_files_it_uses_at_start(tmp_path: Path) -> None:
    from leakbot.devslack import SlackStandIn

    own_setup(tmp_path, config=False, playbooks=False)
    with SlackStandIn() as standin:
        env = {
            "SLACK_BOT_TOKEN": standin.token,
            "SLACK_SIGNING_SECRET": "s3cr3t-value",
            "SLACK_API_URL": standin.api_url,
            "LEAKBOT_PLAYBOOKS": str(REPO_PLAYBOOK.parent),
        }
        proc = start_leakbot(
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            cwd=tmp_path,
            env=env,
            stderr=subprocess.PIPE,
        )
        assert proc.stderr is not None
        seen: list[str] = []
        try:
            for line in proc.stderr:
                seen.append(line)
                if "leakbot serving Slack" in line:
                    break
        finally:
            proc.terminate()
            proc.wait(30)
    said = "".join(seen)
    assert "config: " in said and "leakbot.example.yaml (the bundled example" in said
    assert f"playbooks: {REPO_PLAYBOOK.parent} (from LEAKBOT_PLAYBOOKS)" in said
    assert f"templates: {tmp_path / 'templates'} (from the working folder)" in said


def test_a_sqlite_file_under_a_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = leakbot("db", "upgrade", cwd=tmp_path, DATABASE_URL="sqlite:///notes.txt/x.db")
    one_clear_line(result, "notes.txt", "is a file, not a folder")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_template_that_is_not_text_is_named(tmp_path: Path) -> None:
    own_setup(tmp_path, config=False, playbooks=False)
    (tmp_path / "templates" / "breach_notice.en.md.j2").write_bytes(b"\xff\xfe not text")
    result = leakbot("playbook", "check", cwd=tmp_path)
    one_clear_line(result, str(tmp_path / "templates" / "breach_notice.en.md.j2"))
