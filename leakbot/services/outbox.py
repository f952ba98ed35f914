"""Getting owed Slack work done: claim what is due, perform it, record how it went.

The outbox row is claimed with a lease, so two processes never perform the same item at once;
a crash leaves the lease to expire and the item is performed again — every effect is written
to be safe to repeat (update, don't re-post).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from leakbot.services.committing import owe
from leakbot.services.deps import Deps
from leakbot.services.owed_work import CommanderNote, Effect
from leakbot.services.storage import OutboxItem

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=10)


class Retry(Exception):
    """Try again later: Slack is slow, rate-limiting, down, or the work waits on other work."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


class GiveUp(Exception):
    """The work can never succeed (e.g. the channel was deleted): stop and tell the commander."""

    def __init__(self, reason: str, tell_commander: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.tell_commander = tell_commander


@dataclass(frozen=True)
class Ran:
    done: int = 0
    retried: int = 0
    failed: int = 0


#: What performing an item reports (kept with the item as JSON), e.g. ``{"ts": "…"}``.
Result = Mapping[str, object]
#: Does one owed item's Slack work (``leakbot.slack.effects.SlackEffects.perform``); raises
#: ``Retry`` or ``GiveUp`` when it cannot.
Perform = Callable[[OutboxItem], Result | None]


def backoff(attempts: int, hint: float | None = None) -> timedelta:
    base = timedelta(seconds=min(2 ** max(attempts - 1, 0) * 2, MAX_BACKOFF.total_seconds()))
    return max(base, timedelta(seconds=hint)) if hint else base


class OwedWorkRunner(Protocol):
    """What carries out recorded work on demand (the Slack worker): the scheduler's sweep
    asks it to run what is due."""

    def drain_inbox(self) -> int:
        """Carry out the recorded requests nobody holds; how many were claimed."""
        ...

    def drain(self, limit: int = 5) -> Ran:
        """Perform the owed work that is due now."""
        ...


def run_due(deps: Deps, perform: Perform, limit: int = 5) -> Ran:
    """Claim up to ``limit`` due items and perform each; returns what happened."""
    with deps.uow() as uow:
        items = uow.outbox.claim(deps.clock.now(), limit, deps.outbox_lease_seconds)
        uow.commit()
    done = retried = failed = 0
    for item in items:
        try:
            result = perform(item)
        except Retry as r:
            retried += 1
            at = deps.clock.now() + backoff(item.attempts + 1, r.after)
            log.info("outbox %s %s: will retry at %s (%s)", item.id, item.kind, at, r.reason)
            with deps.uow() as uow:
                uow.outbox.mark_retry(item.id, r.reason, at)
                uow.commit()
        except GiveUp as g:
            failed += 1
            log.warning("outbox %s %s failed for good: %s", item.id, item.kind, g.reason)
            with deps.uow() as uow:
                uow.outbox.mark_failed(item.id, g.reason)
                if g.tell_commander and item.kind != Effect.TELL_COMMANDER.value:
                    owe(
                        uow,
                        deps,
                        Effect.TELL_COMMANDER,
                        None,
                        CommanderNote(incident_id=item.incident_id, kind=item.kind, error=g.reason),
                        key=f"failed:{item.id}",
                    )
                uow.commit()
        else:
            done += 1
            with deps.uow() as uow:
                uow.outbox.mark_done(item.id, result or {})
                uow.commit()
    return Ran(done, retried, failed)
