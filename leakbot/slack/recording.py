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
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from leakbot.services.deps import Deps
from leakbot.services.storage import PartlyRecorded
from leakbot.slack.group_commit import GroupCommit, ItemOutcome

log = logging.getLogger(__name__)

#: key, kind, payload
Row = tuple[str, str, dict[str, Any]]
#: Hands recorded intents on to whoever carries them out, all of a batch at once: each by its
#: id, and whether it is bound to a trigger (those come first).
Onward = Callable[[Sequence[tuple[int, bool]]], None]
#: a row, the acknowledgement to give once it is committed, whether it is bound to a trigger
Item = tuple[Row, Callable[[], object], bool]


def _nowhere(handed: Sequence[tuple[int, bool]]) -> None:
    """No one to hand intents to: the worker's poll of the inbox finds them."""


class Recorder(GroupCommit[Item, "int | None"]):
    def __init__(self, deps: Deps, held: timedelta, hand: Onward = _nowhere) -> None:
        super().__init__()
        self._deps = deps
        self._log = deps.intents
        self._held = held
        self._hand = hand

    def record(
        self,
        key: str,
        kind: str,
        payload: dict[str, Any],
        acknowledge: Callable[[], object],
        trigger_bound: bool = False,
    ) -> int | None:
        """Record one intent with the next batch (``InboxRepository.record``, claimed for the
        worker it is handed to); its id, or None when ``key`` was recorded before. Raises the
        database's error if the batch could not be written. Once committed, the thread that
        wrote the batch acknowledges each of its requests, then hands the new intents over
        together (``trigger_bound`` ones first), then tells each listener."""
        return self.submit(((key, kind, payload), acknowledge, trigger_bound))

    def _write(self, batch: list[tuple[Item, ItemOutcome[int | None]]]) -> None:
        now = self._deps.clock.now()
        try:
            ids = self._log.record_many([row for (row, _, _), _ in batch], now, now + self._held)
        except PartlyRecorded as e:  # the first ones stand; the others are told it failed
            self._acknowledged(list(zip(batch, e.recorded, strict=False)))
            for _, done in batch[len(e.recorded) :]:
                done.set_exception(e.cause)
            return
        except Exception as e:  # each request is told, as if its own write had failed
            for _, done in batch:
                done.set_exception(e)
            return
        self._acknowledged(list(zip(batch, ids, strict=True)))

    def _acknowledged(
        self, recorded: list[tuple[tuple[Item, ItemOutcome[int | None]], int | None]]
    ) -> None:
        """From the thread that wrote them: acknowledge every recorded request first, then
        hand the new intents over in one go (trigger-bound first), then tell each listener."""
        told: list[tuple[ItemOutcome[int | None], int | None]] = []
        handed: list[tuple[int, bool]] = []
        for ((_, acknowledge, trigger_bound), done), intent_id in recorded:
            try:
                acknowledge()
            except Exception as e:  # the listener's error handler answers, as if it failed there
                done.set_exception(e)
                continue
            told.append((done, intent_id))
            if intent_id is not None:
                handed.append((intent_id, trigger_bound))
        if handed:
            handed.sort(key=lambda h: not h[1])  # stable: trigger-bound first, in their order
            try:
                self._hand(handed)
            except Exception as e:  # recorded and claimed: the worker's poll finds them later
                log.warning("%s intent(s) not handed over now (%s)", len(handed), type(e).__name__)
        for done, intent_id in told:
            done.set_result(intent_id)
