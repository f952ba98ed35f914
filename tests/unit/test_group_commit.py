"""The group commit's handover, with real threads: every caller gets its own item's outcome,
items that arrive during a write are written by the next one, a write that raises reaches
every caller of its batch, and the line to the worker process carries what was sent."""

from __future__ import annotations

import threading
import time

import pytest

from leakbot.offload.link import CARRY_IDS, Line, ToWorker, pair
from leakbot.slack.group_commit import GroupCommit, ItemOutcome


class Doubling(GroupCommit[int, int]):
    def __init__(self, fail_on: int | None = None) -> None:
        super().__init__()
        self.batches: list[list[int]] = []
        self.writers: list[str] = []
        self._fail_on = fail_on

    def _write(self, batch: list[tuple[int, ItemOutcome[int]]]) -> None:
        self.batches.append([n for n, _ in batch])
        self.writers.append(threading.current_thread().name)
        time.sleep(0.002)  # a commit: long enough for others to queue behind it
        if self._fail_on is not None and any(n == self._fail_on for n, _ in batch):
            raise RuntimeError("the disk is full")
        for n, done in batch:
            done.set_result(2 * n)


def run_at_once(commit: Doubling, count: int) -> dict[int, int | BaseException]:
    got: dict[int, int | BaseException] = {}
    start = threading.Barrier(count)

    def caller(n: int) -> None:
        start.wait()
        try:
            got[n] = commit.submit(n)
        except RuntimeError as e:
            got[n] = e

    threads = [threading.Thread(target=caller, args=(n,), name=f"c{n}") for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads), "a caller was left waiting"
    return got


def test_one_caller_writes_its_own_item_on_its_own_thread() -> None:
    commit = Doubling()
    assert commit.submit(21) == 42
    assert commit.batches == [[21]]
    assert commit.writers == [threading.current_thread().name]


def test_callers_at_once_each_get_their_own_outcome_in_few_batches() -> None:
    commit = Doubling()
    got = run_at_once(commit, 50)
    assert got == {n: 2 * n for n in range(50)}
    written = sorted(n for batch in commit.batches for n in batch)
    assert written == list(range(50))  # each item written once
    assert len(commit.batches) < 50  # some were written for others, a batch at a time
    # only one write at a time: the batches never overlap (checked by their count of writers)
    assert len(commit.writers) == len(commit.batches)


def test_a_caller_returns_once_its_own_batch_is_written() -> None:
    """Those who queued during its write are written by the next writer, not by it: its own
    request is answered without waiting for theirs."""
    holding = threading.Event()

    class Held(Doubling):
        def _write(self, batch: list[tuple[int, ItemOutcome[int]]]) -> None:
            if batch[0][0] == 0:
                holding.wait(10)  # the first write lasts until the others have queued
            super()._write(batch)

    commit = Held()
    got: dict[int, int] = {}

    def caller(n: int) -> None:
        got[n] = commit.submit(n)

    first = threading.Thread(target=caller, args=(0,), name="c0")
    first.start()
    while not commit._writing.locked():  # the first caller is writing
        time.sleep(0.001)
    others = [threading.Thread(target=caller, args=(n,), name=f"c{n}") for n in range(1, 6)]
    for t in others:
        t.start()
    time.sleep(0.2)  # each has queued its item, found the write under way, and waits
    holding.set()
    for t in [first, *others]:
        t.join(10)
    assert got == {n: 2 * n for n in range(6)}
    assert commit.batches[0] == [0]
    assert sorted(n for batch in commit.batches[1:] for n in batch) == [1, 2, 3, 4, 5]
    assert commit.writers[0] == "c0"
    assert "c0" not in commit.writers[1:]


def test_a_write_that_raises_reaches_every_caller_of_its_batch_and_no_other() -> None:
    commit = Doubling(fail_on=7)
    got = run_at_once(commit, 30)
    failed_batch = next(b for b in commit.batches if 7 in b)
    for n in range(30):
        if n in failed_batch:
            assert isinstance(got[n], RuntimeError)
        else:
            assert got[n] == 2 * n
    assert commit.submit(3) == 6  # and the next write goes on


def test_an_outcome_asked_twice_gives_the_same_answer() -> None:
    done: ItemOutcome[str] = ItemOutcome()
    done.set_result("recorded")
    assert done.result() == done.result() == "recorded"
    failed: ItemOutcome[str] = ItemOutcome()
    failed.set_exception(ValueError("no"))
    for _ in range(2):
        with pytest.raises(ValueError):
            failed.result()


def test_the_worker_line_carries_each_message_as_sent() -> None:
    parent, child = pair()
    to_worker = ToWorker()
    to_worker.attach(Line(parent))
    worker = Line(child)
    to_worker.carry([(12, True), (13, True), (3, False)])
    to_worker.carry([(4, False)])
    to_worker.say({"user": "U1"}, "证据已记录 — recorded")
    assert worker.receive() == {"t": "carry", "trigger": [12, 13], "other": [3]}
    assert worker.receive() == {"t": "carry", "trigger": [], "other": [4]}
    said = worker.receive()
    assert said == {
        "t": "say",
        "reply": {"user": "U1"},
        "text": "证据已记录 — recorded",
        "blocks": None,
    }
    worker.close()
    to_worker.carry([(1, False)])  # the worker gone: dropped, never raised (its poll finds it)


def test_a_batch_of_more_ids_than_one_message_holds_is_sent_as_several() -> None:
    parent, child = pair()
    to_worker = ToWorker()
    to_worker.attach(Line(parent))
    worker = Line(child)
    big = [(10**15 + n, n % 3 == 0) for n in range(2 * CARRY_IDS + 5)]
    to_worker.carry(big)
    got = [worker.receive() for _ in range(3)]
    assert all(m is not None and len(m["trigger"]) + len(m["other"]) <= CARRY_IDS for m in got)
    received = [(i, True) for m in got if m for i in m["trigger"]]
    received += [(i, False) for m in got if m for i in m["other"]]
    assert sorted(received) == sorted(big)  # each id once, with its lane
    worker.close()
