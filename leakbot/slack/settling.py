"""Settling intents in batches: the outcomes that come in while one transaction commits are
all written by the next one.

A carrier that changed nothing (a refusal, a modal opened, a message told) still settles its
intent, one small write each, made here by one thread for dozens of carriers. (On SQLite each
outcome is its own UPDATE, which holds the write lock only inside the database:
``IntentLog.settle_many`` in ``leakbot.store.inbox``.)
"""

from __future__ import annotations

from leakbot.services.deps import Deps
from leakbot.slack.group_commit import GroupCommit, ItemOutcome

#: intent id, status, error
Settled = tuple[int, str, str | None]


class Settling(GroupCommit[Settled, bool]):
    def __init__(self, deps: Deps) -> None:
        super().__init__()
        self._deps = deps
        self._log = deps.intents

    def settle(self, intent_id: int, status: str, error: str | None) -> bool:
        """Settle one intent with the next batch (at the time the batch is written); whether
        it was still pending. Raises the database's error if the batch could not be written."""
        return self.submit((intent_id, status, error))

    def _write(self, batch: list[tuple[Settled, ItemOutcome[bool]]]) -> None:
        try:
            settled = self._log.settle_many([o for o, _ in batch], self._deps.clock.now())
        except Exception as e:  # each waiter gets the error, as a write of its own would
            for _, done in batch:
                done.set_exception(e)
            return
        for (intent_id, *_), done in batch:
            done.set_result(intent_id in settled)
