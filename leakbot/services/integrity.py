"""Whether an incident's record still holds: its audit log's hash chain, and every kept
evidence file re-read and re-hashed. Works from the database alone (no config, no Slack), as
an operator checks a copy handed over."""

from __future__ import annotations

from collections.abc import Callable

from leakbot.services.storage import UnitOfWork


def check_incident(read: Callable[[], UnitOfWork], number: int) -> list[str]:
    """One line per problem found; none when the record is intact. Raises ``NotFound`` for
    an incident that does not exist."""
    with read() as uow:
        problems = uow.audit.verify(number)
        incident = uow.incidents.get(number)
        assert incident.id is not None
        problems += uow.evidence.check_files(incident.id, uow.blobs)
    return problems
