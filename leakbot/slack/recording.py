"""Recording intents in batches: the requests that arrive while one transaction commits are
all recorded by the next one (a group commit).

Each request still waits for its own record to be committed before it is acknowledged; what
changes is that twenty requests at once are written by one thread at a time, a batch after the
other, not by twenty racing for SQLite's write lock against the worker process. A request
alone is written on its own listener's thread (``leakbot.slack.group_commit``).

On PostgreSQL a batch is one statement; on SQLite one INSERT per request, each holding the
lock only inside the database (``leakbot.store.inbox.IntentLog``). If one fails, the ones
before it stand and are acknowledged; the others are told that nothing was done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from leakbot.services.deps import Deps
from leakbot.services.storage import PartlyRecorded
from leakbot.slack.group_commit import GroupCommit, ItemOutcome

log = logging.getLogger(__name__)

#: key, kind, payload
Row = tuple[str, str, dict[str, Any]]
#: Hands a recorded intent (by its id) on to whoever carries it out.
Onward = Callable[[int], None]
#: a row, the acknowledgement to give once it is committed, then whom to hand it to
Item = tuple[Row, Callable[[], object], Onward | None]


class Recorder(GroupCommit[Item, "int | None"]):
    def __init__(self, deps: Deps, held: timedelta) -> None:
        super().__init__()
        self._deps = deps
        self._log = deps.intents
        self._held = held

    def record(
        self,
        key: str,
        kind: str,
        payload: dict[str, Any],
        acknowledge: Callable[[], object],
        hand: Onward | None = None,
    ) -> int | None:
        """Record one intent with the next batch (``InboxRepository.record``, claimed for the
        worker it is handed to); its id, or None when ``key`` was recorded before. Raises the
        database's error if the batch could not be written. Once committed, the thread that
        wrote the batch acknowledges it and then gives a new intent to ``hand``: a listener
        that writes for others meanwhile does not keep its own intent from its worker."""
        return self.submit(((key, kind, payload), acknowledge, hand))

    def _write(self, batch: list[tuple[Item, ItemOutcome[int | None]]]) -> None:
        now = self._deps.clock.now()
        try:
            ids = self._log.record_many([row for (row, _, _), _ in batch], now, now + self._held)
        except PartlyRecorded as e:  # the first ones stand; the others are told it failed
            _acknowledged(list(zip(batch, e.recorded, strict=False)))
            for _, done in batch[len(e.recorded) :]:
                done.set_exception(e.cause)
            return
        except Exception as e:  # each request is told, as if its own write had failed
            for _, done in batch:
                done.set_exception(e)
            return
        _acknowledged(list(zip(batch, ids, strict=True)))


def _acknowledged(recorded: list[tuple[tuple[Item, ItemOutcome[int | None]], int | None]]) -> None:
    """From the thread that wrote them: acknowledge every recorded request first (so Bolt sees
    each without waiting for its own listener's thread to run again), then hand each new
    intent to its worker, then tell each listener."""
    handed: list[tuple[ItemOutcome[int | None], int | None, Onward | None]] = []
    for ((_, acknowledge, hand), done), intent_id in recorded:
        try:
            acknowledge()
        except Exception as e:  # the listener's error handler answers, as if it failed there
            done.set_exception(e)
            continue
        handed.append((done, intent_id, hand))
    for _, intent_id, hand in handed:
        if intent_id is not None and hand is not None:
            try:
                hand(intent_id)
            except Exception as e:  # recorded and claimed: the worker's poll finds it later
                log.warning("inbox %s: not handed over now (%s)", intent_id, type(e).__name__)
    for done, intent_id, _ in handed:
        done.set_result(intent_id)
