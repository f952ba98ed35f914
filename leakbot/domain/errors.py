"""Refusals of the rules: what a person tried and why it was not done. Nothing changes."""

from __future__ import annotations

from datetime import datetime


class Refused(Exception):
    """A rule refused an action. ``reason`` is safe to show to the person who asked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotFound(Refused):
    pass


class NotPermitted(Refused):
    pass


class IncidentClosed(Refused):
    pass


class AlreadyDone(Refused):
    """The step was completed (or skipped) already; says by whom and when."""

    def __init__(self, reason: str, by: str | None, at: datetime | None) -> None:
        super().__init__(reason)
        self.by = by
        self.at = at


class NotReady(Refused):
    """The step waits for other steps."""

    def __init__(self, reason: str, waiting_for: tuple[str, ...]) -> None:
        super().__init__(reason)
        self.waiting_for = waiting_for


class InvalidInputs(Refused):
    """Inputs failed validation; ``errors`` maps input id -> message (shown in the modal)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
