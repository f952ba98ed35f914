"""Text helpers: escaping, Slack date tokens, money, channel names."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from leakbot.slack.text import (
    channel_name,
    channel_name_variant,
    clip,
    esc,
    keep_mentions,
    mention,
    money,
    when,
)

NAME_RULE = re.compile(r"^[a-z0-9_-]{1,80}$")


def test_escaping_turns_the_three_control_characters_into_entities_and_nothing_else() -> None:
    assert esc("<!channel> & <@U123> “ok” 'x'") == "&lt;!channel&gt; &amp; &lt;@U123&gt; “ok” 'x'"


def test_clipping_escaped_text_never_leaves_half_an_entity() -> None:
    for limit in range(1, 30):
        cut = clip(esc("a&b<c>d" * 5), limit)
        assert len(cut) <= limit
        assert not re.search(r"&[a-z]*…$", cut), cut


def test_a_date_token_carries_the_epoch_and_a_fallback_in_the_incidents_zone() -> None:
    at = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
    token = when(at, ZoneInfo("Asia/Shanghai"))
    assert (
        token
        == f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|2024-05-06 17:30 CST>"
    )


def test_money_reads_as_currency_then_amount_with_separators() -> None:
    assert money({"amount": "1000000.00", "currency": "CNY"}) == "CNY 1,000,000.00"
    assert money({"amount": "12.5", "currency": "EUR"}) == "EUR 12.50"


def test_only_real_user_ids_become_mentions() -> None:
    assert mention("U0SEC00001") == "<@U0SEC00001>"
    assert mention("<!here>") == "&lt;!here&gt;"
    assert keep_mentions(esc("ask <@U1AB> not <!channel>")) == "ask <@U1AB> not &lt;!channel&gt;"


@pytest.mark.parametrize(
    ("number", "title", "expected"),
    [
        (3, "Bumper drafts on a forum!", "leak-3-bumper-drafts-on-a-forum"),
        (12, "保险杠设计图纸泄露", "leak-12-incident"),
        (4, "Café — R&D  leak", "leak-4-cafe-r-d-leak"),
        (5, "   ", "leak-5-incident"),
        (6, "___", "leak-6-incident"),
    ],
)
def test_channel_names_follow_slacks_rules(number: int, title: str, expected: str) -> None:
    assert channel_name(number, title) == expected


def test_channel_names_obey_the_rules_for_any_title() -> None:
    rng = random.Random(20240506)
    alphabet = "abcXYZ019 -_.!?<>&@#/\\ éüß保险杠泄露🚗\t\n" + "x" * 20
    for _ in range(2000):
        number = rng.randint(1, 999_999_999)
        title = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        name = channel_name(number, title)
        assert NAME_RULE.match(name), name
        assert name.startswith(f"leak-{number}-")
        assert not name.endswith("-")
        for attempt in range(1, 12):
            variant = channel_name_variant(name, attempt)
            assert NAME_RULE.match(variant), variant
            assert not variant.endswith("-")
            if attempt > 1:
                assert variant.endswith(f"-{attempt}")


def test_a_taken_name_gets_a_numbered_variant_that_still_fits() -> None:
    long_name = channel_name(7, "word " * 40)
    assert len(long_name) == 80
    assert channel_name_variant(long_name, 1) == long_name
    second = channel_name_variant(long_name, 2)
    assert len(second) <= 80 and second.endswith("-2")
    assert channel_name_variant("leak-1-x", 3) == "leak-1-x-3"
