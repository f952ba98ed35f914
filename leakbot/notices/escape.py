"""Keeping user text literal in Markdown: a title of ``*x*`` or ``# y`` must not become emphasis
or a heading in a letter legal signs.

Text that is already safe (escaped, or produced by a filter such as ``money``) is marked with
``MarkdownText`` so it is not escaped twice.
"""

from __future__ import annotations

import re
from typing import Any

# Characters that start inline Markdown anywhere in a line (links, emphasis, code, HTML,
# tables, strike-through, entities).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# Markers that only count at the start of a line, and only when followed by a space or the end
# of the line: headings, list items, thematic breaks and setext underlines. "9.2" or "A-1"
# stay as they are.
_HEADING = re.compile(r"^([ \t]*)(#{1,6})(?=[ \t]|$)", re.MULTILINE)
_BULLET = re.compile(r"^([ \t]*)([+-])(?=[ \t]|$)", re.MULTILINE)
_ORDERED = re.compile(r"^([ \t]*\d{1,9})([.)])(?=[ \t]|$)", re.MULTILINE)
_RULE = re.compile(r"^([ \t]*)([=-])(?=[=\- \t]*$)", re.MULTILINE)


class MarkdownText(str):
    """A string that is already Markdown and must be output as is."""

    __slots__ = ()


def escape_markdown(value: Any) -> MarkdownText:
    """``value`` as Markdown that renders exactly as the text reads. None becomes empty."""
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return MarkdownText("")
    text = _INLINE.sub(r"\\\1", str(value))
    for marker in (_HEADING, _BULLET, _ORDERED, _RULE):
        text = marker.sub(r"\1\\\2", text)
    return MarkdownText(text)


def finalize(value: Any) -> Any:
    """Jinja's ``finalize`` hook: every string a template prints is escaped unless marked safe,
    so a template that forgets the ``md`` filter still cannot be steered by user text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_markdown(value)
    return value
