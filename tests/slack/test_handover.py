"""Intents handed on after their acknowledgement: one handed as recorded, while it is still
held for its worker, is carried out without being read back; one handed by its id alone (too
long for a message to the worker process), or after its hold, is read back first and carried
out only if it is still pending."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from leakbot.demo.story import REPORTER
from leakbot.services.storage import Handed
from leakbot.store.inbox import DONE

if TYPE_CHECKING:
    from conftest import Desk


def told(text: str, channel: str) -> dict[str, Any]:
    return {"args": {"text": text}, "reply": {"user": REPORTER, "channel": channel}}


def test_intents_handed_by_id_or_after_their_hold_are_read_back_first(own_desk: Desk) -> None:
    world = own_desk.world
    channel, _ = world.checklist(own_desk.report())  # the reporter is in it
    world.settle()
    before = len(own_desk.private_texts(REPORTER))
    deps, runtime = world.deps, world.parts.runtime
    now = deps.clock.now()
    held = now + timedelta(seconds=15)
    texts = ["by its id", "already settled", "after its hold", "as recorded"]
    ids = deps.intents.record_many([(f"t:{t}", "tell", told(t, channel)) for t in texts], now, held)
    by_id, settled, late, recorded = ids
    assert by_id is not None and settled is not None and late is not None
    assert recorded is not None
    with deps.uow() as uow:
        assert uow.inbox.settle(settled, DONE)
        uow.commit()
        pending = {i: uow.inbox.pending(i) for i in (late, recorded)}
    runtime.carry(
        [
            Handed(by_id, False),
            Handed(settled, False),
            Handed(late, False, pending[late], now - timedelta(seconds=1)),
            Handed(recorded, True, pending[recorded], held),
        ]
    )
    own_desk.wait_for(
        lambda: len(own_desk.private_texts(REPORTER)) >= before + 3, what="three messages"
    )
    world.settle()
    assert sorted(own_desk.private_texts(REPORTER)[before:]) == sorted(
        ["by its id", "after its hold", "as recorded"]
    )  # the settled one not again, each of the others once
    with deps.read() as uow:
        assert uow.inbox.pending_count() == 0
