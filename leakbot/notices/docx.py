"""A notice's Markdown as a Word document legal can edit, with its status on every page.

Word files are what legal sends and redlines; the header keeps the incident reference and
whether the text was approved in view on every page, so a draft is never mistaken for the
final letter. Chinese text gets an East Asian font, or Word falls back to one without CJK glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

DRAFT_LABEL = "DRAFT — PRIVILEGED & CONFIDENTIAL"
APPROVED_LABEL = "APPROVED"

BODY_FONT = "Calibri"
EAST_ASIAN_BODY_FONT = "SimSun"  # 宋体, the usual face of Chinese legal letters
EAST_ASIAN_HEADING_FONT = "SimHei"  # 黑体
MONO_FONT = "Consolas"
_HEADING_STYLES = tuple(f"Heading {n}" for n in range(1, 7)) + ("Title",)


def status_label(status: str) -> str:
    """The header label for a draft's status (``draft`` / ``approved``)."""
    return APPROVED_LABEL if status == "approved" else DRAFT_LABEL


def markdown_to_docx(markdown: str, *, header: str, status_label: str) -> bytes:
    document = Document()
    document.core_properties.author = "leakbot"
    document.core_properties.comments = ""
    _set_fonts(document)
    _set_header(document, header, status_label)
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    _Writer(document).write(parser.parse(markdown))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- page setup -----------------------------------------------------------------------------
def _east_asian(rpr: Any, font: str) -> None:
    """Name the East Asian font and drop the theme reference that would override it."""
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    for theme_attr in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)


def _set_fonts(document: DocxDocument) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _east_asian(rpr, EAST_ASIAN_BODY_FONT)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    _east_asian(normal.element.get_or_add_rPr(), EAST_ASIAN_BODY_FONT)
    for name in _HEADING_STYLES:
        style = document.styles[name]
        style.font.name = BODY_FONT
        _east_asian(style.element.get_or_add_rPr(), EAST_ASIAN_HEADING_FONT)


def _set_header(document: DocxDocument, header: str, label: str) -> None:
    """Reference left, status right (the Header style's tab stops), on every page."""
    for section in document.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.text = ""
        paragraph.add_run(header)
        paragraph.add_run("\t\t")
        paragraph.add_run(label).bold = True


# --- Markdown tokens → paragraphs -----------------------------------------------------------
@dataclass
class _List:
    ordered: bool
    num_id: int | None = None  # a fresh numbering instance, so each numbered list starts at 1


@dataclass
class _Table:
    rows: list[list[tuple[Token, bool]]] = field(default_factory=list)  # (inline, is_header)


class _Writer:
    def __init__(self, document: DocxDocument) -> None:
        self.doc = document
        self.lists: list[_List] = []
        self.quote_depth = 0
        self.heading_level: int | None = None
        self.item_has_paragraph = False
        self.table: _Table | None = None
        self.cell_is_header = False

    def write(self, tokens: list[Token]) -> None:
        for token in tokens:
            self._block(token)

    def _block(self, token: Token) -> None:
        kind = token.type
        if kind == "heading_open":
            self.heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            self.heading_level = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrGet("start") or 1)
            self.lists.append(_List(ordered, self._restart_numbering(start) if ordered else None))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.item_has_paragraph = False
        elif kind == "blockquote_open":
            self.quote_depth += 1
        elif kind == "blockquote_close":
            self.quote_depth -= 1
        elif kind == "table_open":
            self.table = _Table()
        elif kind == "tr_open" and self.table is not None:
            self.table.rows.append([])
        elif kind in ("th_open", "td_open"):
            self.cell_is_header = kind == "th_open"
        elif kind == "table_close":
            self._write_table()
        elif kind == "inline":
            self._inline_block(token)
        elif kind in ("fence", "code_block"):
            self._code(token.content)
        elif kind == "html_block":
            self._runs(self.doc.add_paragraph(), [Token("text", "", 0, content=token.content)])
        elif kind == "hr":
            self.doc.add_paragraph()

    def _inline_block(self, token: Token) -> None:
        if self.table is not None and self.table.rows:
            self.table.rows[-1].append((token, self.cell_is_header))
            return
        if self.heading_level is not None:
            paragraph = self.doc.add_heading(level=min(self.heading_level, 6))
        elif self.lists:
            paragraph = self._list_paragraph()
        else:
            paragraph = self.doc.add_paragraph(style="Quote" if self.quote_depth else None)
        self._runs(paragraph, token.children or [])

    def _list_paragraph(self) -> Paragraph:
        current = self.lists[-1]
        depth = min(len(self.lists), 3)
        suffix = "" if depth == 1 else f" {depth}"
        if self.item_has_paragraph:  # a second paragraph inside the same item: no new marker
            return self.doc.add_paragraph(style=f"List Continue{suffix}")
        self.item_has_paragraph = True
        style = ("List Number" if current.ordered else "List Bullet") + suffix
        paragraph = self.doc.add_paragraph(style=style)
        if current.num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = current.num_id
        return paragraph

    def _restart_numbering(self, start: int) -> int | None:
        """A new w:num on the List Number definition with its count restarted."""
        if self.lists:  # nested numbered lists follow the outer list's definition
            return None
        style_ppr = self.doc.styles["List Number"].element.pPr
        if style_ppr is None or style_ppr.numPr is None or style_ppr.numPr.numId is None:
            return None
        numbering = self.doc.part.numbering_part.element
        base = numbering.num_having_numId(style_ppr.numPr.numId.val)
        num = numbering.add_num(base.abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    def _runs(self, paragraph: Paragraph, children: list[Token]) -> None:
        bold = italic = strike = False
        link: str | None = None
        link_text = ""
        for child in children:
            kind = child.type
            if kind == "strong_open":
                bold = True
            elif kind == "strong_close":
                bold = False
            elif kind == "em_open":
                italic = True
            elif kind == "em_close":
                italic = False
            elif kind == "s_open":
                strike = True
            elif kind == "s_close":
                strike = False
            elif kind == "link_open":
                link, link_text = str(child.attrGet("href") or ""), ""
            elif kind == "link_close":
                if link and link != link_text and link != f"mailto:{link_text}":
                    paragraph.add_run(f" ({link})")
                link = None
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif kind in ("text", "html_inline", "code_inline", "image"):
                text = child.content
                if link is not None:
                    link_text += text
                run = paragraph.add_run(text)
                run.bold, run.italic = bold or None, italic or None
                if strike:
                    run.font.strike = True
                if kind == "code_inline":
                    run.font.name = MONO_FONT

    def _code(self, content: str) -> None:
        paragraph = self.doc.add_paragraph(style="No Spacing")
        for number, line in enumerate(content.rstrip("\n").split("\n")):
            if number:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            paragraph.add_run(line).font.name = MONO_FONT

    def _write_table(self) -> None:
        rows = [r for r in (self.table.rows if self.table else []) if r]
        self.table = None
        if not rows:
            return
        columns = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        for r, row in enumerate(rows):
            for c, (inline, is_header) in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self._runs(paragraph, inline.children or [])
                if is_header:
                    for run in paragraph.runs:
                        run.bold = True
