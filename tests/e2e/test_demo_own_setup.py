"""``leakbot demo`` on an operator's own config, playbooks and templates, as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from leakbot.loading.paths import bundled_example_config

PLAYBOOK = """\
id: quick-check
name: Quick check
steps:
  - id: triage
    title: Triage the report
    owner: security
    inputs:
      - id: verdict
        label: Verdict
        type: choice
        options:
          - {value: real, label: A real leak}
          - {value: not_a_leak, label: Not a leak}
  - id: claim
    title: Claim the penalty
    owner: legal
    after: [triage]
    notices: [penalty_demand]
    inputs:
      - id: amount
        label: Amount claimed
        type: money
  - id: wrap_up
    title: Wrap up
    owner: commander
    after: [claim]
"""


def demo(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_"))}
    base.pop("DATABASE_URL", None)
    (cwd / "tmp").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "leakbot", "demo", *args],
        cwd=cwd,
        env={**base, "TMPDIR": str(cwd / "tmp"), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def my_config(folder: Path) -> Path:
    text = bundled_example_config().read_text("utf-8")
    for old, new in (
        ("U0SEC00001", "U0MYSEC001"),
        ("id: bjmold", "id: acme"),
        ("Beijing Molding Technology Co., Ltd.", "ACME Plastics GmbH"),
        ("    name_zh: 北京模塑科技有限公司      # optional\n", ""),
        ("{amount: 1000000, currency: CNY}", "{amount: 250000, currency: EUR}"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path = folder / "my.yaml"
    path.write_text(text, "utf-8")
    return path


def test_demo_with_my_config_plays_the_story_on_that_config(tmp_path: Path) -> None:
    config = my_config(tmp_path)
    result = demo("--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"config: {config} (from --config)" in out
    assert "A leak by ACME Plastics GmbH is reported" in out
    assert "Penalty amount: EUR 250,000.00" in out  # the contract's own amount
    assert "LEAK-1 is closed; audit log: intact" in out
    assert "0 violation(s)" in out
    written = {p.name for p in (tmp_path / "leakbot-demo-notices").iterdir()}
    assert "LEAK-1-penalty_demand-en-v1.docx" in written
    assert not any(name.endswith("-zh-v1.docx") and "penalty" in name for name in written)
    assert list((tmp_path / "tmp").iterdir()) == []  # no temporary folder left behind
    assert not list(tmp_path.glob("*.db"))


def test_demo_plays_a_working_folders_own_playbook_and_keeps_its_database(
    tmp_path: Path,
) -> None:
    (tmp_path / "playbooks").mkdir()
    (tmp_path / "playbooks" / "quick.yaml").write_text(PLAYBOOK, "utf-8")
    my_config(tmp_path).rename(tmp_path / "leakbot.yaml")
    result = demo("--keep", "--out", "preview", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"playbooks: {tmp_path / 'playbooks'} (from the working folder)" in out
    assert "posted the checklist of playbook 'quick-check'" in out
    assert "Verdict: real" in out  # a choice's first option
    assert "✓ Claim the penalty" in out and "✓ Wrap up" in out
    assert f"database: {tmp_path / 'preview' / 'leakbot-demo.db'} (SQLite, kept)" in out
    assert (tmp_path / "preview" / "leakbot-demo.db").is_file()
    assert (tmp_path / "preview" / "LEAK-1-penalty_demand-en-v1.md").is_file()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_demo_on_a_broken_setup_reports_its_lines_and_plays_nothing(tmp_path: Path) -> None:
    config = my_config(tmp_path)
    config.write_text(config.read_text("utf-8").replace("  legal:", "  legel:"), "utf-8")
    result = demo("--config", str(config), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{config}:" in result.stderr and "did you mean 'legal'" in result.stderr
    assert not (tmp_path / "leakbot-demo-notices").exists() or not any(
        (tmp_path / "leakbot-demo-notices").iterdir()
    )
