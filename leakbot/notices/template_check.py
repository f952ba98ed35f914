"""A rendered template read back from its Word file, as the reader of the letter sees it.

Markdown that did not convert (``**`` beside full-width punctuation does not open bold under
CommonMark, so the asterisks stay), template markup and an empty value (``None``, ``（）``) are
each reported at the template line that produced them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from leakbot.errors import Problem
from leakbot.notices.docx import LetterInfo, build_letter

#: Markdown or template markup a reader must never see, and values that were never filled.
_LEFT_OVER = (
    (re.compile(r"\*\*+|(?<!_)__(?!_)|~~|`"), "Markdown markup left in the letter"),
    (re.compile(r"\]\(|<!--|-->|^:::|^#{1,6}\s|^>\s"), "Markdown markup left in the letter"),
    (re.compile(r"\\[!-/:-@\[-`{-~]"), "a Markdown escape left in the letter"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}"), "template markup left in the letter"),
    (re.compile(r"\b(?:None(?! of)|Undefined|nan)\b"), "an unresolved value"),
    (re.compile(r"\(\s*\)|（\s*）|「\s*」|“\s*”|\[\s*\]"), "empty brackets: a value is missing"),
)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def word_text(markdown: str, locale: str) -> list[str]:
    """The paragraphs (and table cells) of ``markdown`` once it is a Word file, read back."""
    info = LetterInfo(locale, "check", "check", "check", datetime(2026, 1, 1, tzinfo=UTC), False)
    document = build_letter(markdown, info)
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return [line for text in texts for line in text.split("\n")]


def read_back_problems(path: Path, locale: str, markdown: str) -> list[Problem]:
    """What a reader of the Word file would stumble on, each at its template line."""
    sources = _sources(path)
    problems: list[Problem] = []
    for text in word_text(markdown, locale):
        for pattern, why in _LEFT_OVER:
            for m in pattern.finditer(text):
                where = _locate(sources, text, m.start(), m.end())
                snippet = text[max(0, m.start() - 8) : m.end() + 8].strip()
                problems.append(Problem(*where, None, f"{why}: `{snippet}`"))
    unique: list[Problem] = []
    for problem in problems:
        if problem not in unique:
            unique.append(problem)
    return unique


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
