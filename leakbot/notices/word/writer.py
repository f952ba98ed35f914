"""Markdown tokens → Word paragraphs and runs.

Headings, paragraphs, bold / italic / struck text, bullet and numbered lists, quotes, tables
and code carry over; so do the letter's two blocks, written as containers in the template:
``::: letterhead`` (our company, centred above a rule) and ``::: signature`` (one paragraph
of lines, kept on one page; a line of underscores is the line to sign on, with room above;
right-aligned in Chinese letters). Every run is of one script and carries its language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from leakbot.notices.word.layout import (
    EAST_ASIAN_BODY_FONT,
    EAST_ASIAN_HEADING_FONT,
    LETTERHEAD_STYLE,
    MONO_FONT,
    SIGNATURE_STYLE,
    is_chinese,
    language,
    set_fonts,
    set_language,
)
from leakbot.notices.word.scripts import by_script

#: A paragraph this short before the signature is its closing line and stays on its page.
_CLOSING = 12
#: The letter's blocks a template may write as ``::: name`` … ``:::``, and their styles.
BLOCKS = {"letterhead": LETTERHEAD_STYLE, "signature": SIGNATURE_STYLE}


def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for name in BLOCKS:
        md.use(container_plugin, name=name)
    return md


@dataclass
class _Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    mono: bool = False


@dataclass
class _List:
    ordered: bool
    num_id: int | None = None  # a fresh numbering instance, so each numbered list starts at 1


@dataclass
class _Table:
    rows: list[list[tuple[Token, bool]]] = field(default_factory=list)  # (inline, is_header)


class Writer:
    def __init__(self, document: DocxDocument, locale: str) -> None:
        self.doc = document
        self.chinese = is_chinese(locale)
        self.language = language(locale)
        self.lists: list[_List] = []
        self.quote_depth = 0
        self.heading_level: int | None = None
        self.item_has_paragraph = False
        self.table: _Table | None = None
        self.cell_is_header = False
        self.block: str | None = None
        self.block_paragraphs: list[Paragraph] = []
        self.last: Paragraph | None = None
        self.styles: dict[str, ParagraphStyle] = {}

    def write(self, tokens: list[Token]) -> None:
        for token in tokens:
            self._block(token)

    def _block(self, token: Token) -> None:
        kind = token.type
        if kind.startswith("container_") and kind.endswith("_open"):
            self.block, self.block_paragraphs = kind[len("container_") : -len("_open")], []
            last = self.last
            if self.block == "signature" and last is not None and len(last.text) <= _CLOSING:
                last.paragraph_format.keep_with_next = True  # 特此通知。 goes with the signature
        elif kind.startswith("container_") and kind.endswith("_close"):
            self._close_block()
        elif kind == "heading_open":
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
            self._runs(self._paragraph(), [Token("text", "", 0, content=token.content)])
        elif kind == "hr":
            self._paragraph()

    # --- blocks -----------------------------------------------------------------------------
    def _paragraph(self, style: str | None = None) -> Paragraph:
        if self.block in BLOCKS and style is None:
            style = BLOCKS[self.block]
        if self.block == "signature" and self.block_paragraphs:
            # the signature block is one paragraph of lines, so no page breaks inside it
            paragraph = self.block_paragraphs[0]
            paragraph.add_run().add_break(WD_BREAK.LINE)
            return paragraph
        paragraph = self.doc.add_paragraph()
        found = self._style(style)
        if found is not None:  # by id: python-docx's own lookup scans every style each time
            paragraph._p.style = found.style_id
        self.last = paragraph
        if self.block is not None:
            self.block_paragraphs.append(paragraph)
        return paragraph

    def _style(self, name: str | None) -> ParagraphStyle | None:
        """Styles by name, each looked up once."""
        if name is None:
            return None
        if name not in self.styles:
            self.styles[name] = self.doc.styles[name]
        return self.styles[name]

    def _close_block(self) -> None:
        paragraphs, block = self.block_paragraphs, self.block
        self.block, self.block_paragraphs = None, []
        if not paragraphs:
            return
        if block == "letterhead":  # a rule under the letterhead, some air after it
            _bottom_border(paragraphs[-1])
            paragraphs[-1].paragraph_format.space_after = Pt(14)
            for run in paragraphs[0].runs:
                run.font.size = Pt(14)
        elif block == "signature":  # a Chinese letter's seal goes over the company's name
            fmt = paragraphs[0].paragraph_format
            fmt.space_before = Pt(30 if self.chinese else 12)
            fmt.keep_together = True

    def _inline_block(self, token: Token) -> None:
        if self.table is not None and self.table.rows:
            self.table.rows[-1].append((token, self.cell_is_header))
            return
        if self.heading_level is not None:
            paragraph = self._paragraph(f"Heading {min(self.heading_level, 6)}")
        elif self.lists:
            paragraph = self._list_paragraph()
        else:
            paragraph = self._paragraph("Quote" if self.quote_depth else None)
            if self.block == "signature" and _is_fill_line(token.content):
                for _ in range(2):  # room above the line to sign on
                    paragraph.add_run().add_break(WD_BREAK.LINE)
        self._runs(paragraph, token.children or [])

    def _list_paragraph(self) -> Paragraph:
        current = self.lists[-1]
        depth = min(len(self.lists), 3)
        suffix = "" if depth == 1 else f" {depth}"
        if self.item_has_paragraph:  # a second paragraph inside the same item: no new marker
            return self._paragraph(f"List Continue{suffix}")
        self.item_has_paragraph = True
        style = ("List Number" if current.ordered else "List Bullet") + suffix
        paragraph = self._paragraph(style)
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

    def _code(self, content: str) -> None:
        paragraph = self._paragraph("No Spacing")
        for number, line in enumerate(content.rstrip("\n").split("\n")):
            if number:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            self._text(paragraph, line, _Format(mono=True))

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
                paragraph.paragraph_format.space_after = Pt(0)
                self._runs(paragraph, inline.children or [], _Format(bold=is_header))

    # --- runs -------------------------------------------------------------------------------
    def _runs(
        self, paragraph: Paragraph, children: list[Token], base: _Format | None = None
    ) -> None:
        fmt = _Format(**vars(base)) if base else _Format()
        link: str | None = None
        link_text = ""
        for child in children:
            kind = child.type
            if kind in ("strong_open", "strong_close"):
                fmt.bold = kind == "strong_open" or bool(base and base.bold)
            elif kind in ("em_open", "em_close"):
                fmt.italic = kind == "em_open"
            elif kind in ("s_open", "s_close"):
                fmt.strike = kind == "s_open"
            elif kind == "link_open":
                link, link_text = str(child.attrGet("href") or ""), ""
            elif kind == "link_close":
                if link and link != link_text and link != f"mailto:{link_text}":
                    self._text(paragraph, f" ({link})", fmt)
                link = None
            elif kind == "softbreak":
                self._text(paragraph, " ", fmt)
            elif kind == "hardbreak":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif kind in ("text", "html_inline", "code_inline", "image"):
                if link is not None:
                    link_text += child.content
                mono = fmt.mono or kind == "code_inline"
                shown = _Format(fmt.bold, fmt.italic, fmt.strike, mono)
                self._text(paragraph, child.content, shown)

    def _text(self, paragraph: Paragraph, text: str, fmt: _Format) -> None:
        """``text`` as runs of one script each, every run with its language."""
        heading = self.heading_level is not None
        for piece, east_asian in by_script(text, chinese_letter=self.chinese):
            run = paragraph.add_run(piece)
            _format(run, fmt)
            rpr = run._r.get_or_add_rPr()
            if east_asian:
                font = EAST_ASIAN_HEADING_FONT if heading and self.chinese else EAST_ASIAN_BODY_FONT
                set_fonts(rpr, font)
                rpr.get_or_add_rFonts().set(qn("w:hint"), "eastAsia")
                set_language(rpr, self.language)
            else:
                set_language(rpr, self.language if not self.chinese else "en-GB")


def _is_fill_line(markdown: str) -> bool:
    """A line of (escaped) underscores: where to sign."""
    text = markdown.replace("\\", "").strip()
    return bool(text) and not text.strip("_")


def _format(run: Run, fmt: _Format) -> None:
    if fmt.bold:
        run.bold = True
    if fmt.italic:
        run.italic = True
    if fmt.strike:
        run.font.strike = True
    if fmt.mono:
        run.font.name = MONO_FONT


#: The paragraph properties that come after ``w:pBdr`` in the schema's order.
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _bottom_border(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *_AFTER_BORDERS)
