"""The layer contracts of docs/architecture.md, as import-linter checks them (pyproject.toml's
``[tool.importlinter]``): the domain imports only itself and the standard library, the Slack
adapter does not open the store, services import no adapter, dependencies point one way."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import leakbot

ROOT = Path(__file__).resolve().parents[2]


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_every_layer_contract_is_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in done.stdout, done.stdout


def test_the_domain_contract_forbids_every_other_part_of_leakbot() -> None:
    parts = {f"leakbot.{m.name}" for m in pkgutil.iter_modules(leakbot.__path__)}
    others = parts - {"leakbot.domain", "leakbot.__main__"}
    forbidden = contracts()["domain"]["forbidden_modules"]
    assert isinstance(forbidden, list)
    assert sorted(others - set(forbidden)) == []
