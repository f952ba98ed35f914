"""Amounts in figures and in words, and dates, as legal notices write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from leakbot.notices.money import amount_in_words, format_date, format_money


def test_figures_carry_the_iso_code_and_two_decimals_in_both_locales() -> None:
    assert format_money(Decimal("1000000"), "CNY", "en") == "CNY 1,000,000.00"
    assert format_money(Decimal("1000000"), "CNY", "zh") == "CNY 1,000,000.00"


def test_a_currency_without_minor_units_shows_none() -> None:
    assert format_money(Decimal("1500000"), "JPY", "en") == "JPY 1,500,000"


def test_yuan_in_chinese_words_use_the_financial_numerals() -> None:
    assert amount_in_words(Decimal("1000000"), "CNY", "zh") == "人民币壹佰万元整"
    assert amount_in_words(Decimal("1234.56"), "CNY", "zh") == "人民币壹仟贰佰叁拾肆元伍角陆分"
    assert amount_in_words(Decimal("100000.05"), "CNY", "zh") == "人民币壹拾万元零伍分"


def test_english_words_name_the_currency_and_its_minor_unit() -> None:
    assert amount_in_words(Decimal("1000000"), "CNY", "en") == "one million yuan"
    assert amount_in_words(Decimal("1.01"), "USD", "en") == "one US dollar and one cent"
    assert (
        amount_in_words(Decimal("2500.50"), "EUR", "en")
        == "two thousand, five hundred euros and fifty cents"
    )


def test_a_currency_without_a_known_english_unit_falls_back_to_its_babel_name() -> None:
    assert amount_in_words(Decimal("2"), "CHF", "en") == "two Swiss francs"


def test_another_currency_in_chinese_is_prefixed_with_its_name() -> None:
    assert amount_in_words(Decimal("20"), "USD", "zh") == "美元贰拾元整"


def test_dates_read_as_a_letter_writes_them() -> None:
    assert format_date(date(2026, 11, 25), "en") == "25 November 2026"
    assert format_date(date(2026, 11, 25), "zh") == "2026年11月25日"


def test_a_datetime_is_shown_on_its_own_wall_clock() -> None:
    at = datetime(2026, 1, 22, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert format_date(at, "en", with_time=True) == "22 January 2026, 09:05"
    assert format_date(at, "zh", with_time=True) == "2026年1月22日 09:05"
    assert format_date(at, "zh") == "2026年1月22日"


def test_an_unsupported_locale_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="`fr`"):
        format_money(Decimal("1"), "EUR", "fr")
