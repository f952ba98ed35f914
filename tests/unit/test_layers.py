"""The layer contracts of docs/architecture.md, as import-linter checks them (pyproject.toml's
``[tool.importlinter]``): the domain imports only itself and the standard library, the Slack
adapter does not open the store, services import no adapter, dependencies point one way."""

from __future__ import annotations

import ast
import pkgutil
import re
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


def _signature_annotations(tree: ast.Module) -> list[tuple[str, str]]:
    """(function, annotation) of every parameter and return annotation, and module-level type
    aliases (``Perform = Callable[...]``) as ``(name, value)``."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            a = node.args
            params = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
            notes = [p.annotation for p in params if p is not None and p.annotation is not None]
            if node.returns is not None:
                notes.append(node.returns)
            found += [(node.name, ast.unparse(n)) for n in notes]
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript | ast.BinOp):
            found += [(ast.unparse(t), ast.unparse(node.value)) for t in node.targets]
    return found


def test_no_signature_of_services_or_the_slack_effects_takes_or_returns_any() -> None:
    files = [*sorted((ROOT / "leakbot" / "services").glob("*.py"))]
    files.append(ROOT / "leakbot" / "slack" / "effects.py")
    files += sorted((ROOT / "leakbot" / "slack" / "perform").glob("*.py"))
    with_any = [
        f"{path.relative_to(ROOT)}: {name}: {note}"
        for path in files
        for name, note in _signature_annotations(ast.parse(path.read_text(encoding="utf-8")))
        if re.search(r"\bAny\b", note)
    ]
    assert with_any == []
