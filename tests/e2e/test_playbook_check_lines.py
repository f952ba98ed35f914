"""``leakbot playbook check`` as an operator runs it: every problem of every broken fixture is
printed at the exact line of the offending key or value, as each fixture's markers say."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "playbooks"
_MARKER = re.compile(r"#\s*expect:\s*(\S+):\s*(.+?)\s*$")


def _markers(path: Path) -> list[tuple[str, int, str | None, str]]:
    found = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _MARKER.search(text)
        if m:
            key = None if m.group(1) == "-" else m.group(1)
            found.append((str(path), number, key, m.group(2)))
    return found


def test_every_problem_is_printed_at_the_line_of_its_key_or_value(tmp_path: Path) -> None:
    files = sorted(FIXTURES.glob("*.yaml"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_"))}
    done = subprocess.run(
        [sys.executable, "-m", "leakbot", "playbook", "check", *map(str, files)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    printed = []
    for line in done.stderr.strip().splitlines():
        m = re.match(r"^(.+?\.yaml):(\d+): (?:([^ :]+): )?(.*)$", line)
        assert m, line
        printed.append((m.group(1), int(m.group(2)), m.group(3), m.group(4)))
    expected = [one for f in files for one in _markers(f)]
    # the markers' line numbers and keys, one for one, in the order the check prints them
    assert [p[:3] for p in printed] == [e[:3] for e in expected]
    for (_, line, _, message), (_, _, _, fragment) in zip(printed, expected, strict=True):
        assert fragment in message, (line, message)
