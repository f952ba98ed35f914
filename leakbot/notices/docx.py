"""A notice's Markdown as a Word letter legal can edit, sign and send.

A4 with the page number ("N / M") at the foot of each page, our letterhead and signature block
as the template writes them, Chinese conventions in Chinese letters, and no internal marking on
the page: a draft carries a "DRAFT" / "草稿" watermark behind the text, an approved letter
nothing. The parts live in ``leakbot.notices.word``.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument

from leakbot.notices.word.layout import (
    BODY_FONT,
    EAST_ASIAN_BODY_FONT,
    EAST_ASIAN_HEADING_FONT,
    LetterInfo,
    is_chinese,
    set_footer,
    set_page,
    set_properties,
    set_styles,
)
from leakbot.notices.word.watermark import add_watermark, watermark_text
from leakbot.notices.word.writer import Writer, parser

__all__ = ["EAST_ASIAN_BODY_FONT", "LetterInfo", "build_letter", "markdown_to_docx"]


def markdown_to_docx(markdown: str, letter: LetterInfo) -> bytes:
    out = BytesIO()
    build_letter(markdown, letter).save(out)
    return out.getvalue()


def build_letter(markdown: str, letter: LetterInfo) -> DocxDocument:
    """The Word document of ``markdown``, in memory."""
    document = Document()
    set_page(document)
    set_styles(document, letter.locale)
    set_footer(document)
    if letter.draft:
        font = EAST_ASIAN_HEADING_FONT if is_chinese(letter.locale) else BODY_FONT
        add_watermark(document, watermark_text(letter.locale), font)
    Writer(document, letter.locale).write(parser().parse(markdown))
    set_properties(document, letter)
    return document
