"""The page and the look of a letter: A4, margins, one body font, black headings, the page
number footer, and document properties that tell who wrote it and when.

Fonts are those of Word on any desk (Times New Roman; SimSun / SimHei for Chinese); LibreOffice
uses their metric twins (Liberation Serif, Noto CJK), so a letter breaks into pages alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

BODY_FONT = "Times New Roman"
EAST_ASIAN_BODY_FONT = "SimSun"  # 宋体, the usual face of Chinese legal letters
EAST_ASIAN_HEADING_FONT = "SimHei"  # 黑体, for Chinese titles and headings
MONO_FONT = "Courier New"
BODY_SIZE = Pt(11)
LANGUAGE = {"en": "en-GB", "zh": "zh-CN"}
EAST_ASIAN_LANGUAGE = "zh-CN"
#: Paragraph styles of the letter's blocks (``::: letterhead`` and ``::: signature``).
LETTERHEAD_STYLE = "Letterhead"
SIGNATURE_STYLE = "Signature Block"
_HEADING_SIZES = {1: Pt(14), 2: Pt(11.5), 3: Pt(11), 4: Pt(11), 5: Pt(11), 6: Pt(11)}


@dataclass(frozen=True)
class LetterInfo:
    """What the Word file says about itself (File → Properties) and how it is marked."""

    locale: str
    title: str
    subject: str
    author: str  # our company
    drafted_at: datetime
    draft: bool  # a draft carries the watermark; an approved letter nothing


def is_chinese(locale: str) -> bool:
    return locale.split("_")[0] == "zh"


def language(locale: str) -> str:
    return LANGUAGE.get(locale.split("_")[0], LANGUAGE["en"])


# --- page -----------------------------------------------------------------------------------
def set_page(document: DocxDocument) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(25), Mm(22)
        section.header_distance = section.footer_distance = Mm(12)


def set_footer(document: DocxDocument) -> None:
    """ "N / M" centred at the foot of every page (Word's PAGE and NUMPAGES fields)."""
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in (_field("PAGE", "1"), " / ", _field("NUMPAGES", "1")):
            if isinstance(part, str):
                run = paragraph.add_run(part)
                run.font.size = Pt(9)
            else:
                for element in part:
                    paragraph._p.append(element)


def _field(code: str, shown: str) -> list[object]:
    size = '<w:rPr><w:sz w:val="18"/></w:rPr>'
    return [
        parse_xml(f'<w:r {nsdecls("w")}>{size}<w:fldChar w:fldCharType="begin"/></w:r>'),
        parse_xml(
            f'<w:r {nsdecls("w")}>{size}<w:instrText xml:space="preserve"> {code} </w:instrText>'
            "</w:r>"
        ),
        parse_xml(f'<w:r {nsdecls("w")}>{size}<w:fldChar w:fldCharType="separate"/></w:r>'),
        parse_xml(f"<w:r {nsdecls('w')}>{size}<w:t>{shown}</w:t></w:r>"),
        parse_xml(f'<w:r {nsdecls("w")}>{size}<w:fldChar w:fldCharType="end"/></w:r>'),
    ]


# --- styles ---------------------------------------------------------------------------------
def set_fonts(rpr: object, east_asian: str, latin: str | None = None) -> None:
    """Name the fonts of ``rpr`` and drop the theme references that would override them."""
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    if latin is not None:
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def set_language(rpr: object, latin: str, east_asian: str = EAST_ASIAN_LANGUAGE) -> None:
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asian)


def set_styles(document: DocxDocument, locale: str) -> None:
    chinese = is_chinese(locale)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = None if defaults is None else defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None:
        set_fonts(rpr, EAST_ASIAN_BODY_FONT, BODY_FONT)
        set_language(rpr, language(locale))
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    set_fonts(normal.element.get_or_add_rPr(), EAST_ASIAN_BODY_FONT, BODY_FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in _HEADING_SIZES.items():
        _heading(document.styles[f"Heading {level}"], size, chinese, level == 1)
    quote = document.styles["Quote"]
    quote.font.italic = False
    quote.font.color.rgb = RGBColor(0, 0, 0)
    quote.paragraph_format.left_indent = Mm(10)
    quote.paragraph_format.space_after = Pt(2)
    for name, after in ((LETTERHEAD_STYLE, Pt(0)), (SIGNATURE_STYLE, Pt(0))):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.space_after = after
        if name == SIGNATURE_STYLE and chinese:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if name == LETTERHEAD_STYLE:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _heading(style: ParagraphStyle, size: Pt, chinese: bool, title: bool) -> None:
    """Black, bold, the body's font: a letter's headings, not a report's."""
    font = style.font
    font.name = BODY_FONT
    font.size = size
    font.bold = True
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, EAST_ASIAN_HEADING_FONT if chinese else EAST_ASIAN_BODY_FONT, BODY_FONT)
    fmt = style.paragraph_format
    fmt.space_before = Pt(14 if title else 10)
    fmt.space_after = Pt(10 if title else 4)
    fmt.keep_with_next = True
    if title and chinese:  # a Chinese letter's title is centred
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


# --- document properties --------------------------------------------------------------------
def set_properties(document: DocxDocument, letter: LetterInfo) -> None:
    """Title, subject, author (our company), created = modified = the drafting time; nothing
    left over from the blank document the file starts from (its 2013 dates, its thumbnail)."""
    drafted = letter.drafted_at
    drafted = (drafted if drafted.tzinfo else drafted.replace(tzinfo=UTC)).astimezone(UTC)
    drafted = drafted.replace(tzinfo=None, microsecond=0)
    props = document.core_properties
    props.title = letter.title
    props.subject = letter.subject
    props.author = props.last_modified_by = letter.author
    props.created = props.modified = drafted
    props.revision = 1
    props.language = language(letter.locale)
    props.keywords = props.comments = props.category = props.content_status = ""
    package = document.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _app_properties(letter.author)
    rels = package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]
        rels._target_parts_by_rId.pop(rid, None)


def _app_properties(company: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties">'
        f"<Application>leakbot</Application><Company>{escape(company)}</Company>"
        "<DocSecurity>0</DocSecurity></Properties>"
    ).encode()
