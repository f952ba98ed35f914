"""Running the real ``leakbot`` command as an operator does: a process of its own, in a folder
of its own, with none of the caller's Slack or leakbot settings (only what the test gives)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

COMMAND = (sys.executable, "-m", "leakbot")


def clean_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without Slack's, leakbot's and the database's settings,
    plus ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_"))}
    base.pop("DATABASE_URL", None)
    return {**base, **(env or {})}


def leakbot(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``leakbot ARGS`` run to its end; its output captured as text."""
    return subprocess.run(
        [*COMMAND, *args],
        cwd=cwd,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_leakbot(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, **popen: Any
) -> subprocess.Popen[str]:
    """``leakbot ARGS`` started, not waited for (a server)."""
    return subprocess.Popen([*COMMAND, *args], cwd=cwd, env=clean_env(env), text=True, **popen)
