"""Splitting text by script, so Chinese gets an East Asian font and language tag per run.

Word picks the font of a character from the run's fonts by the character's script; a run that
mixes Chinese and Latin text gets one language tag for both. Splitting each text into runs of
one script lets every run carry the right ``w:lang`` and, for Chinese, the East Asian hint that
sets the ambiguous punctuation (“ ” ‘ ’ — …) full width as Chinese typesetting does.
"""

from __future__ import annotations

import re

_EAST_ASIAN = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
#: Punctuation shared by both scripts: set as Chinese inside Chinese letters.
_AMBIGUOUS = frozenset("“”‘’—…·")


def is_east_asian(char: str, *, chinese_letter: bool) -> bool:
    return bool(_EAST_ASIAN.match(char)) or (chinese_letter and char in _AMBIGUOUS)


def by_script(text: str, *, chinese_letter: bool) -> list[tuple[str, bool]]:
    """``text`` as (piece, is East Asian) pieces, neighbours of one script merged. Spaces join
    the piece before them, so a run never starts with one."""
    pieces: list[tuple[str, bool]] = []
    for char in text:
        east = is_east_asian(char, chinese_letter=chinese_letter)
        if pieces and (pieces[-1][1] == east or char.isspace()):
            pieces[-1] = (pieces[-1][0] + char, pieces[-1][1])
        else:
            pieces.append((char, east))
    return pieces
