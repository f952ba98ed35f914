"""A rendered template read back from its Word file, as the reader of the letter sees it.

Markdown that did not convert (``**`` beside full-width punctuation does not open bold under
CommonMark, so the asterisks stay), template markup, an empty value (``None``, ``（）``) and, in a
Chinese letter, English words outside names, references, URLs, amounts, dates and 「quotations」
are each reported at the template line that produced them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leakbot.notices.docx import LetterInfo, build_letter
from leakbot.operator_errors import Problem

#: Markdown or template markup a reader must never see, and values that were never filled.
_LEFT_OVER = (
    (re.compile(r"\*\*+|(?<!_)__(?!_)|~~|`"), "Markdown markup left in the letter"),
    (re.compile(r"\]\(|<!--|-->|^:::|^#{1,6}\s|^>\s"), "Markdown markup left in the letter"),
    (re.compile(r"\\[!-/:-@\[-`{-~]"), "a Markdown escape left in the letter"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}"), "template markup left in the letter"),
    (re.compile(r"\b(?:None(?! of)|Undefined|nan)\b"), "an unresolved value"),
    (re.compile(r"\(\s*\)|（\s*）|「\s*」|“\s*”|\[\s*\]"), "empty brackets: a value is missing"),
)
#: Names of products a Chinese letter may mention as they are.
PRODUCT_NAMES = ("Slack", "Word", "Markdown")
#: In a Chinese letter, a word of Latin letters …
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
_NEXT_WORD = re.compile(r"[\s,;:()'.-]*([A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?)")
#: … is fine inside these: a quotation of the original, a URL or address, a code, reference or
#: file name (with a digit, a slash, an inner dot or all capitals: NDA-2023-0147, LEAK-1, CNY,
#: IP, post.png).
_ALLOWED_SPANS = re.compile(
    r"「[^」]*」|https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    r"[\w-]*\d[\w.-]*|[\w-]+(?:[/_.][\w-]+)+|(?<![A-Za-z])[A-Z]{2,6}(?![A-Za-z])"
)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")
_NAME = re.compile(r"(?<![\w.'\"])([a-z_]\w*(?:\.\w+)+)")


def word_text(markdown: str, locale: str) -> list[str]:
    """The paragraphs (and table cells) of ``markdown`` once it is a Word file, read back."""
    info = LetterInfo(locale, "check", "check", "check", datetime(2026, 1, 1, tzinfo=UTC), False)
    document = build_letter(markdown, info)
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return [line for text in texts for line in text.split("\n")]


def read_back_problems(
    path: Path, locale: str, markdown: str, facts: Mapping[str, Any]
) -> list[Problem]:
    """What a reader of the Word file would stumble on, each at its template line; ``facts``
    are those the template was rendered with (to tell names and where a text came from)."""
    sources = _sources(path)
    names = set(_names(facts))
    problems: list[Problem] = []
    for text in word_text(markdown, locale):
        for pattern, why in _LEFT_OVER:
            for m in pattern.finditer(text):
                where = _locate(sources, text, m.start(), m.end())
                snippet = text[max(0, m.start() - 8) : m.end() + 8].strip()
                problems.append(Problem(*where, None, f"{why}: `{snippet}`"))
        if locale.split("_")[0] == "zh":
            problems += _latin_problems(sources, text, names, facts)
    unique: list[Problem] = []
    for problem in problems:
        if problem not in unique:
            unique.append(problem)
    return unique


# --- English in a Chinese letter --------------------------------------------------------------
def _latin_problems(
    sources: list[tuple[str, int, str]], text: str, names: set[str], facts: Mapping[str, Any]
) -> list[Problem]:
    masked = _mask(text, names)
    problems = []
    covered = 0
    for m in _LATIN_WORD.finditer(masked):
        if m.start() < covered:
            continue
        end = m.end()
        while (more := _NEXT_WORD.match(masked, end)) is not None:  # the whole phrase
            end = more.end()
        covered = end
        phrase = text[m.start() : end]
        fact = _fact_of(facts, phrase)
        file, line = _locate_fact(sources, text, fact) if fact else (None, None)
        if file is None:
            file, line = _locate(sources, text, m.start(), end)
        source = f" (from `{fact}`)" if fact else ""
        message = (
            f"English in a Chinese letter{source}: `{phrase}`; "
            "write it in Chinese, or quote the original in 「」"
        )
        problems.append(Problem(file, line, None, message))
    return problems


def _mask(text: str, names: set[str]) -> str:
    """``text`` with what may be in Latin letters blanked out (same length)."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " " * len(name))
    return _ALLOWED_SPANS.sub(lambda m: " " * len(m.group(0)), text)


def _names(value: Any, key: str = "") -> Iterator[str]:
    """The names among the facts (keys ending in ``name``, and ``people``'s values: people,
    companies, suppliers), and the products leakbot names (Slack, Word, Markdown)."""
    if not key:
        yield from PRODUCT_NAMES
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _names(v, "name" if key == "people" else str(k))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _names(item, key)
    elif isinstance(value, str) and key.endswith("name") and value.strip():
        yield value.strip()


def _fact_of(facts: Mapping[str, Any], phrase: str) -> str | None:
    """The path of the fact whose text is ``phrase``, else holds it (``incident.asset``)."""
    return _find(facts, phrase, exact=True) or _find(facts, phrase, exact=False)


def _find(value: Any, phrase: str, *, exact: bool, path: str = "") -> str | None:
    if isinstance(value, str):
        return path if (phrase == value.strip() if exact else phrase in value) else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, Mapping):
        items = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
    elif isinstance(value, list | tuple):
        items = [(path, v) for v in value]
    for sub, item in items:
        found = _find(item, phrase, exact=exact, path=sub)
        if found:
            return found
    return None


def _locate_fact(
    sources: list[tuple[str, int, str]], text: str, fact: str
) -> tuple[str | None, int | None]:
    """The line printing ``fact`` whose literal text best matches the paragraph."""
    best: tuple[int, str, int] | None = None
    for file, number, source in sources:
        names = [n for e in _EXPRESSION.findall(source) for n in _NAME.findall(e)]
        fit = max((_prints(name, fact) for name in names), default=0)
        if not fit:
            continue
        pieces = [p.strip() for p in _TAG.split(source) if p.strip()]
        score = fit + sum(len(piece) for piece in pieces if piece in text)
        if best is None or score > best[0]:
            best = (score, file, number)
    return (best[1], best[2]) if best else (None, None)


def _prints(name: str, fact: str) -> int:
    """How surely ``{{ name }}`` prints ``fact``: the same path or one inside the other (best),
    a loop variable's attribute (``step.title`` for ``steps.title``), any same last attribute."""
    if fact.startswith(name) or name.startswith(fact):
        return 1000
    if name.rsplit(".", 1)[-1] != fact.rsplit(".", 1)[-1]:
        return 0
    return 500 if fact.startswith(name.split(".", 1)[0]) else 1


# --- from the Word text back to the template line -------------------------------------------
def _sources(path: Path) -> list[tuple[str, int, str]]:
    """(file, line, text) of the template and of the partials it includes."""
    lines = [(str(path), n, t) for n, t in enumerate(_read(path).splitlines(), start=1)]
    for name in re.findall(r"""\{%-?\s*include\s+["']([^"']+)["']""", _read(path)):
        partial = path.parent / name
        if partial.is_file():
            lines += [(str(partial), n, t) for n, t in enumerate(_read(partial).splitlines(), 1)]
    return lines


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _locate(
    sources: list[tuple[str, int, str]], text: str, start: int, end: int
) -> tuple[str, int | None]:
    """The template line that wrote ``text[start:end]``: the line whose literal text holds it
    with the most matching text around it, else the line whose literal text is in ``text``."""
    best: tuple[int, str, int] | None = None
    for file, number, source in sources:
        pieces = [p.strip() for p in _TAG.split(source) if p.strip()]
        score = max((_overlap(piece, text, start, end) for piece in pieces), default=0)
        if score and (best is None or score > best[0]):
            best = (score, file, number)
    if best is not None:
        return best[1], best[2]
    for file, number, source in sources:
        if any(p.strip() and p.strip() in text for p in _TAG.split(source)):
            return file, number
    return sources[0][0] if sources else "", None


def _overlap(piece: str, text: str, start: int, end: int) -> int:
    """How much of ``piece`` (literal template text) is found in ``text`` covering the span."""
    wanted = text[start:end]
    if wanted not in piece:
        return 0
    offset = piece.index(wanted)
    left, right = piece[:offset], piece[offset + len(wanted) :]
    score = len(wanted)
    for n in range(len(left), 0, -1):
        if text[:start].endswith(left[-n:]):
            score += n
            break
    for n in range(len(right), 0, -1):
        if text[end:].startswith(right[:n]):
            score += n
            break
    return score
