"""Playbook YAML → ``Playbook``, with every problem at its file and line.

A playbook is checked in two passes: first each step on its own (keys, types, durations,
inputs), then the steps together (unknown or circular dependencies, conditions that read a step
that does not come first). The second pass needs the whole file, which is why problems are
gathered, not raised one by one. See docs/playbooks.md for the format.

This module reads folders and files of playbooks; one file is read by ``playbook_reader``, its
steps together are checked by ``graph``, and durations are parsed by ``durations``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from leakbot.domain.config import Config
from leakbot.domain.playbook import Playbook
from leakbot.loading.config_file import check_roles
from leakbot.loading.durations import parse_duration
from leakbot.loading.playbook_reader import ParsedFile, parse_file
from leakbot.operator_errors import Problem, ProblemsFound

__all__ = [
    "check_playbooks",
    "load_playbook",
    "load_playbooks",
    "parse_duration",
    "playbook_files",
]

TEMPLATE_SUFFIX = ".md.j2"


def load_playbook(path: Path) -> Playbook:
    parsed = parse_file(Path(path))
    if parsed.problems or parsed.playbook is None:
        raise ProblemsFound(parsed.problems)
    return parsed.playbook


def load_playbooks(dir_or_paths: Path | str | Iterable[Path | str]) -> list[Playbook]:
    """Every playbook of a folder (``*.yaml``, ``*.yml``) or of the files named; problems of all
    files together, including the same playbook id used twice."""
    files, problems = playbook_files(dir_or_paths)
    parsed = [parse_file(f) for f in files]
    problems += [p for one in parsed for p in one.problems] + _duplicate_ids(parsed)
    if problems:
        raise ProblemsFound(problems)
    return [one.playbook for one in parsed if one.playbook is not None]


def check_playbooks(
    paths: Path | str | Iterable[Path | str],
    config: Config | None,
    templates_dir: Path | None,
) -> list[Problem]:
    """All that ``load_playbooks`` checks, plus the roles against ``config`` and a template for
    each notice a step drafts. Returns the problems (empty when everything is fine)."""
    files, problems = playbook_files(paths)
    parsed = [parse_file(f) for f in files]
    problems += [p for one in parsed for p in one.problems] + _duplicate_ids(parsed)
    playbooks = [one.playbook for one in parsed if one.playbook is not None]
    if config is not None:
        docs = {one.file: one.doc for one in parsed if one.doc is not None}

        def owner_line(playbook: Playbook, index: int) -> int | None:
            # a playbook that loaded has every step of its file, in the file's order
            doc = docs.get(playbook.source or "")
            return doc.lines.get(("steps", index, "owner")) if doc else None

        problems += check_roles(config, playbooks, owner_line)
    if templates_dir is not None:
        problems += _template_problems(parsed, Path(templates_dir))
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


def playbook_files(
    dir_or_paths: Path | str | Iterable[Path | str],
) -> tuple[list[Path], list[Problem]]:
    """The YAML files named or found in the folders named, in a stable order."""
    given = [dir_or_paths] if isinstance(dir_or_paths, str | Path) else list(dir_or_paths)
    files: list[Path] = []
    problems: list[Problem] = []
    for item in map(Path, given):
        if item.is_dir():
            found = sorted([*item.glob("*.yaml"), *item.glob("*.yml")])
            if not found:
                problems.append(Problem(str(item), None, None, "has no playbooks (*.yaml)"))
            files += found
        elif item.is_file():
            files.append(item)
        else:
            problems.append(Problem(str(item), None, None, "no such file or folder"))
    if not given:
        problems.append(Problem("playbooks", None, None, "no playbook files were given"))
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:  # a file named twice (or inside a folder also named) is read once
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, problems


def _duplicate_ids(parsed: list[ParsedFile]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for one in parsed:
        if one.playbook is None or one.doc is None:
            continue
        pid = one.playbook.id
        if pid in seen:
            line = one.doc.line(("id",))
            message = f"playbook id '{pid}' is already used by {seen[pid]}"
            problems.append(Problem(one.file, line, "id", message))
        else:
            seen[pid] = one.file
    return problems


def _template_problems(parsed: list[ParsedFile], templates_dir: Path) -> list[Problem]:
    if not templates_dir.is_dir():
        return [Problem(str(templates_dir), None, None, "templates folder not found")]
    problems: list[Problem] = []
    for one in parsed:
        if one.playbook is None or one.doc is None:
            continue
        for kind, path in one.notices:
            if not any(templates_dir.glob(f"{kind}.*{TEMPLATE_SUFFIX}")):
                problems.append(
                    Problem(
                        one.file,
                        one.doc.line(path),
                        "notices",
                        f"no template for notice '{kind}' "
                        f"(expected {kind}.<locale>{TEMPLATE_SUFFIX} in {templates_dir})",
                    )
                )
    return problems
