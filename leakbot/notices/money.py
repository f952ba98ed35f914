"""Amounts and dates as a legal notice writes them, in English and Simplified Chinese.

Figures carry the ISO currency code rather than a symbol (¥ is both yuan and yen), and amounts
are also written in words — in Chinese with the financial numerals (大写) that cannot be altered
by adding a stroke — because a demand letter is read by people looking for ambiguity.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import cn2an
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import (
    format_currency,
    get_currency_name,
    get_currency_precision,
    parse_pattern,
)
from num2words import num2words

SUPPORTED_LOCALES = ("en", "zh")

# Parsed once: Babel would otherwise parse the locale and the pattern again on every call.
_BABEL_LOCALE = {"en": Locale.parse("en"), "zh": Locale.parse("zh_Hans_CN")}
_EN, _ZH = _BABEL_LOCALE["en"], _BABEL_LOCALE["zh"]
#: ISO code, then the number; Babel trims decimals to the currency's.
_FIGURES = parse_pattern("¤¤ #,##0.00")
_DATE_PATTERN = {"en": "d MMMM y", "zh": "y年M月d日"}
_DATETIME_PATTERN = {"en": "d MMMM y, HH:mm", "zh": "y年M月d日 HH:mm"}

#: English names of a currency's unit and minor unit: (one, many, minor one, minor many).
_EN_UNITS: dict[str, tuple[str, str, str, str]] = {
    "CNY": ("yuan", "yuan", "fen", "fen"),
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "GBP": ("pound sterling", "pounds sterling", "penny", "pence"),
    "HKD": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "JPY": ("yen", "yen", "", ""),
    "KRW": ("won", "won", "", ""),
}
#: Chinese prefixes before the financial numerals (an2cn writes 元 for the unit).
_ZH_PREFIX = {"CNY": "人民币"}


def _locale(locale: str) -> Locale:
    try:
        return _BABEL_LOCALE[locale]
    except KeyError:
        raise ValueError(
            f"locale `{locale}` is not supported; use one of {', '.join(SUPPORTED_LOCALES)}"
        ) from None


def _minor_digits(currency: str) -> int:
    return int(get_currency_precision(currency.upper()))


def _rounded(amount: Decimal, currency: str) -> Decimal:
    return Decimal(amount).quantize(Decimal(1).scaleb(-_minor_digits(currency)), ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """``CNY 1,000,000.00`` (en) — the zh form uses zh_Hans_CN separators, same code."""
    return str(
        format_currency(
            _rounded(amount, currency),
            currency.upper(),
            format=_FIGURES,
            locale=_locale(locale),
            currency_digits=True,
        )
    )


def amount_in_words(amount: Decimal, currency: str, locale: str) -> str:
    """``one million yuan`` (en) or ``人民币壹佰万元整`` (zh)."""
    _locale(locale)
    code = currency.upper()
    value = _rounded(amount, code)
    if value < 0:
        raise ValueError("an amount in words cannot be negative")
    if locale == "zh":
        prefix = _ZH_PREFIX.get(code) or str(get_currency_name(code, locale=_ZH))
        return prefix + str(cn2an.an2cn(f"{value:.2f}", "rmb"))
    return _english_words(value, code)


def _english_words(value: Decimal, code: str) -> str:
    one, many, minor_one, minor_many = _EN_UNITS.get(code) or (
        str(get_currency_name(code, count=1, locale=_EN)),
        str(get_currency_name(code, count=2, locale=_EN)),
        "hundredth",
        "hundredths",
    )
    units = int(value)
    minor = int((value - units) * 100) if _minor_digits(code) else 0
    words = f"{num2words(units, lang='en')} {one if units == 1 else many}"
    if minor:
        words += f" and {num2words(minor, lang='en')} {minor_one if minor == 1 else minor_many}"
    return words


def format_date(d: date | datetime, locale: str, *, with_time: bool = False) -> str:
    """``25 November 2026`` / ``2026年11月25日``; a datetime is shown on its own wall clock."""
    babel_locale = _locale(locale)
    if isinstance(d, datetime):
        if with_time:
            return str(
                babel_format_datetime(
                    d, _DATETIME_PATTERN[locale], tzinfo=d.tzinfo, locale=babel_locale
                )
            )
        d = d.date()
    return str(babel_format_date(d, _DATE_PATTERN[locale], locale=babel_locale))
