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


def explain(error: BaseException, database_url: str | None = None) -> str | None:
    """One line for a failure an operator causes and can fix, or None for a bug.

    The CLI's only translation of exceptions it did not raise itself: the database refusing
    a connection or holding something that is not a leakbot database, and a file or folder
    that cannot be read or written. The database URL is shown without its password.
    """
    from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError

    # not IntegrityError, ProgrammingError, DataError: those are leakbot's bugs, not the setup's
    if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
        return f"database {_safe_url(database_url)}: {_database_reason(error)}"
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {_os_reason(error)}"
    return None


def _safe_url(url: str | None) -> str:
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    if not url:
        return "(DATABASE_URL)"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(DATABASE_URL)"


_SQLITE_HINTS = {
    "file is not a database": "the file is not a SQLite database, or is damaged",
    "unable to open database file": "cannot open the file; check its folder exists and is writable",
    "attempt to write a readonly database": "the file is read-only for this user",
    "database disk image is malformed": "the SQLite file is damaged",
}


def _database_reason(error: Exception) -> str:
    """The driver's own first line, without its boilerplate; never a password."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()[0] if str(original).strip() else ""
    for prefix in ("connection failed: ",):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if "FATAL:" in text:  # PostgreSQL's own reason after the server's address
        text = text.split("FATAL:", 1)[1].strip()
    for known, hint in _SQLITE_HINTS.items():
        if known in text:
            return hint
    return text or type(original).__name__


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileExistsError):
        return "already exists and is not a folder"
    if isinstance(error, NotADirectoryError):
        return "a part of this path is a file, not a folder"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    return error.strerror or type(error).__name__
