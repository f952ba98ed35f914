"""Text in Chinese letters that exists only in its original language.

A title typed in English is quoted as 「…」, as Chinese legal writing quotes a foreign text,
never run into a Chinese sentence as if it were Chinese.
"""

from __future__ import annotations

import re

#: CJK ideographs (with extension A and the compatibility block) and full-width forms.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def quote_zh(text: str) -> str:
    """``text`` as a Chinese letter quotes it: 「text」 (on one line; empty stays empty)."""
    text = " ".join(str(text).split())
    return f"「{text}」" if text else ""


def in_chinese(text: str) -> str:
    """``text`` as it stands in a Chinese sentence: as it is when it is written in Chinese or is
    a single token (a name, an address, a reference such as ``BJM-0147``), else quoted."""
    return text if has_cjk(text) or len(text.split()) <= 1 else quote_zh(text)
