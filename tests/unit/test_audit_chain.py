from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from leakbot.domain.audit import (
    GENESIS,
    AuditEntry,
    canonical,
    entry_hash,
    make_entry,
    verify_chain,
)

T0 = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        entry = make_entry(
            incident_id=7,
            seq=seq,
            prev_hash=prev,
            at=T0 + timedelta(minutes=seq),
            actor="U0SEC00001",
            action="step.completed",
            subject=f"step-{seq}",
            before={"status": "ready"},
            after={"inputs": {"amount": {"amount": "1000000.00", "currency": "CNY"}}},
        )
        entries.append(entry)
        prev = entry.hash
    return entries


def test_an_untouched_chain_has_no_problems() -> None:
    entries = chain(3)
    assert verify_chain(entries, entries[-1].hash, 3) == []


def test_an_empty_log_with_nothing_written_is_intact() -> None:
    assert verify_chain([], None, 0) == []


def test_the_first_entry_follows_the_genesis_hash() -> None:
    assert chain(1)[0].prev_hash == GENESIS


def test_canonical_json_ignores_key_order_and_keeps_chinese_text() -> None:
    assert canonical({"b": 1, "a": "北京"}) == canonical({"a": "北京", "b": 1})
    assert "北京" in canonical({"a": "北京"})


def test_the_hash_changes_with_the_previous_hash() -> None:
    fields = chain(1)[0].fields()
    assert entry_hash(GENESIS, fields) != entry_hash("1" * 64, fields)


def test_the_same_instant_in_another_zone_hashes_the_same() -> None:
    entry = chain(1)[0]
    moved = dataclasses.replace(entry, at=entry.at.astimezone(ZoneInfo("Asia/Shanghai")))
    assert moved.intact


def test_decimals_and_datetimes_are_stored_as_json_text() -> None:
    entry = make_entry(
        incident_id=None,
        seq=1,
        prev_hash=GENESIS,
        at=T0,
        actor="system",
        action="x",
        subject="y",
        after={"amount": Decimal("1000000.00"), "due": T0, "tags": ("a", "b")},
    )
    assert entry.after == {"amount": "1000000.00", "due": T0.isoformat(), "tags": ["a", "b"]}
    assert entry.intact


def test_an_edited_field_is_reported_with_its_sequence_number() -> None:
    entries = chain(3)
    entries[1] = dataclasses.replace(entries[1], actor="U0EVIL0001")
    assert verify_chain(entries, entries[-1].hash, 3) == [
        "entry 2 was altered: its hash does not match its content"
    ]


def test_a_deleted_middle_entry_breaks_the_sequence_and_the_count() -> None:
    entries = chain(3)
    head = entries[-1].hash
    del entries[1]
    problems = verify_chain(entries, head, 3)
    assert "entry 3 stands where entry 2 should be" in problems
    assert "entry 3 does not follow the entry before it" in problems
    assert "the log holds 2 entries but 3 were written" in problems


def test_a_deleted_last_entry_is_caught_by_the_head_and_the_count() -> None:
    entries = chain(3)
    head = entries[-1].hash
    problems = verify_chain(entries[:-1], head, 3)
    assert problems == [
        "the log holds 2 entries but 3 were written",
        "the newest entry is not the one last written",
    ]


def test_swapped_entries_are_reported() -> None:
    entries = chain(3)
    swapped = [entries[0], entries[2], entries[1]]
    problems = verify_chain(swapped, entries[-1].hash, 3)
    assert "entry 3 stands where entry 2 should be" in problems
    assert "the newest entry is not the one last written" in problems


def test_a_naive_time_is_refused() -> None:
    entry = chain(1)[0]
    with pytest.raises(ValueError, match="timezone-aware"):
        dataclasses.replace(entry, at=datetime(2024, 5, 6, 9, 30)).fields()


def test_problem_messages_never_quote_the_content() -> None:
    entries = chain(2)
    entries[0] = dataclasses.replace(entries[0], subject="Project K9 front bumper")
    problems = verify_chain(entries, entries[-1].hash, 2)
    assert problems and not any("K9" in p for p in problems)
