"""Errors that reach a person: each edge (CLI, Slack, scheduler) translates them once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a file the user wrote: rendered as ``file:line: key: message``."""

    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class UserError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits 1."""


class ProblemsFound(UserError):
    """One or more located problems in a config, playbook or template file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
