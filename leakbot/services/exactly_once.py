"""An intent applied once: while a recorded request is carried out (``carrying``), the first
write transaction that commits also settles the intent, in that transaction, and only if it is
still pending. Two processes that both ran it (a lease ran out under a slow one) cannot both
commit its change: the second one's commit raises ``AlreadySettled`` and rolls back.

The storage's unit of work asks ``being_carried()`` just before each write commit (the store
does the settling, ``leakbot.store.inbox.settle_in``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class AlreadySettled(Exception):
    """The intent was carried out by another worker meanwhile: this transaction is void."""


@dataclass
class Carrying:
    """The intent the current thread is carrying out, and whether a commit settled it."""

    intent_id: int
    settled: bool = False


_carrying: ContextVar[Carrying | None] = ContextVar("leakbot_inbox_carrying", default=None)


@contextmanager
def carrying(intent_id: int) -> Iterator[Carrying]:
    """While inside, the first write commit settles ``intent_id``."""
    state = Carrying(intent_id)
    token = _carrying.set(state)
    try:
        yield state
    finally:
        _carrying.reset(token)


def being_carried() -> Carrying | None:
    """The intent this thread is carrying out, if any."""
    return _carrying.get()
