from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from leakbot.store.outbox_items import DONE, FAILED, PENDING
from leakbot.store.uow import UnitOfWork

T0 = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def test_a_duplicate_key_is_a_no_op(uow: UnitOfWork) -> None:
    with uow:
        assert uow.outbox.add("post_checklist", {"n": 1}, key="LEAK-1:checklist", at=T0) is True
        assert uow.outbox.add("post_checklist", {"n": 2}, key="LEAK-1:checklist", at=T0) is False
        assert uow.outbox.add("dm", {"n": 3}, at=T0) is True
        assert uow.outbox.add("dm", {"n": 4}, at=T0) is True  # no key: never a duplicate
        uow.commit()
    with uow:
        assert uow.outbox.pending_count() == 3
        item = uow.outbox.by_key("LEAK-1:checklist")
        assert item is not None and item.payload == {"n": 1}


def test_claimed_items_are_leased_and_not_claimed_again_until_the_lease_ends(
    uow: UnitOfWork,
) -> None:
    with uow:
        uow.outbox.add("a", {}, at=T0)
        uow.outbox.add("b", {}, at=T0 + timedelta(seconds=1))
        uow.outbox.add("later", {}, at=T0 + timedelta(hours=1))
        uow.commit()
    with uow:
        claimed = uow.outbox.claim(T0 + timedelta(seconds=5), limit=10, lease_seconds=60)
        uow.commit()
    assert [i.kind for i in claimed] == ["a", "b"]
    assert all(i.attempts == 1 for i in claimed)
    assert claimed[0].locked_until == T0 + timedelta(seconds=65)
    with uow:
        assert uow.outbox.claim(T0 + timedelta(seconds=30), 10, 60) == []
        again = uow.outbox.claim(T0 + timedelta(seconds=70), 10, 60)
        assert [(i.kind, i.attempts) for i in again] == [("a", 2), ("b", 2)]


def test_done_retry_and_failed_are_recorded(uow: UnitOfWork) -> None:
    with uow:
        for kind in ("ok", "flaky", "broken"):
            uow.outbox.add(kind, {}, at=T0)
        uow.commit()
    with uow:
        ok, flaky, broken = uow.outbox.claim(T0, 10, 60)
        uow.outbox.mark_done(ok.id, {"ts": "1715000000.000100"}, at=T0)
        uow.outbox.mark_retry(flaky.id, "ratelimited", T0 + timedelta(minutes=1))
        uow.outbox.mark_failed(broken.id, "channel_not_found", at=T0)
        uow.commit()
    with uow:
        assert uow.outbox.get(ok.id).status == DONE
        assert uow.outbox.get(ok.id).result == {"ts": "1715000000.000100"}
        retry = uow.outbox.get(flaky.id)
        assert (retry.status, retry.last_error, retry.locked_until) == (
            PENDING,
            "ratelimited",
            None,
        )
        assert uow.outbox.get(broken.id).status == FAILED
        assert uow.outbox.pending_count() == 1
        assert uow.outbox.claim(T0 + timedelta(seconds=59), 10, 60) == []
        assert [i.kind for i in uow.outbox.claim(T0 + timedelta(minutes=1), 10, 60)] == ["flaky"]


def test_two_claimers_in_threads_never_claim_the_same_item(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    with uow:
        for n in range(40):
            uow.outbox.add("dm", {"n": n}, key=f"k{n}", at=T0)
        uow.commit()
    claims: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            start.wait()
            while True:
                with UnitOfWork(session_factory) as mine:
                    items = mine.outbox.claim(T0, limit=3, lease_seconds=300)
                    mine.commit()
                if not items:
                    return
                claims[name] += [i.id for i in items]
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert not set(claims["a"]) & set(claims["b"])
    assert len(claims["a"]) + len(claims["b"]) == 40
