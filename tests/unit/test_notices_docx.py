"""Markdown to Word: the document re-opened with python-docx shows the structure legal expects."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import docx
import docx.shared
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from leakbot.notices.docx import EAST_ASIAN_BODY_FONT, LetterInfo, markdown_to_docx

NOTICE = """# Notice of Breach

Dear Sir or Madam,

## 1. The facts

We refer to **NDA-2023-0147**, *clause 9.2*, and to `LEAK-1`.

- first point
- second point
    - nested point

1. stop distribution
2. delete copies

Then again:

1. preserve evidence

> **CNY 1,000,000.00**

| Step | Status |
| --- | --- |
| Confirm | done |

致：北京模塑科技有限公司
"""


def letter(locale: str = "en", *, draft: bool = True) -> LetterInfo:
    return LetterInfo(
        locale=locale,
        title="Notice of Breach — NDA-2023-0147",
        subject="Notice of Breach",
        author="Example Motors Co., Ltd.",
        drafted_at=datetime(2026, 11, 11, 10, 30, tzinfo=UTC),
        draft=draft,
    )


def open_doc(markdown: str = NOTICE, info: LetterInfo | None = None) -> Document:
    return docx.Document(BytesIO(markdown_to_docx(markdown, info or letter())))


def styled(doc: Document, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == style]


def test_headings_become_word_heading_styles() -> None:
    doc = open_doc()
    assert styled(doc, "Heading 1") == ["Notice of Breach"]
    assert styled(doc, "Heading 2") == ["1. The facts"]


def test_bullet_and_numbered_lists_become_list_paragraphs() -> None:
    doc = open_doc()
    assert styled(doc, "List Bullet") == ["first point", "second point"]
    assert styled(doc, "List Bullet 2") == ["nested point"]
    assert styled(doc, "List Number") == ["stop distribution", "delete copies", "preserve evidence"]


def test_each_numbered_list_starts_again_at_one() -> None:
    doc = open_doc()
    numbered = [p for p in doc.paragraphs if p.style is not None and p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2]


def test_bold_italic_and_code_are_runs_with_their_formatting() -> None:
    doc = open_doc()
    facts = next(p for p in doc.paragraphs if p.text.startswith("We refer to"))
    assert facts.text == "We refer to NDA-2023-0147, clause 9.2, and to LEAK-1."
    assert [r.text for r in facts.runs if r.bold] == ["NDA-2023-0147"]
    assert [r.text for r in facts.runs if r.italic] == ["clause 9.2"]
    quote = styled(doc, "Quote")
    assert quote == ["CNY 1,000,000.00"]


def test_a_simple_table_becomes_a_word_table_with_a_bold_header() -> None:
    table = open_doc().tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Step", "Status"],
        ["Confirm", "done"],
    ]
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)


def test_chinese_text_is_set_in_an_east_asian_font() -> None:
    doc = open_doc()
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == EAST_ASIAN_BODY_FONT
    heading_fonts = doc.styles["Heading 1"].element.rPr.rFonts
    assert heading_fonts.get(qn("w:eastAsia")) and heading_fonts.get(qn("w:eastAsiaTheme")) is None
    assert "致：北京模塑科技有限公司" in [p.text for p in doc.paragraphs]


def test_escaped_markdown_comes_out_as_the_literal_text() -> None:
    doc = open_doc("Title: \\*x\\* {{ 7\\*7 }}\n\n\\# not a heading\n")
    assert [p.text for p in doc.paragraphs] == ["Title: *x* {{ 7*7 }}", "# not a heading"]
    assert styled(doc, "Heading 1") == []


# --- the letter's page, blocks and markings ------------------------------------------------
LETTER = """::: letterhead
**Example Motors Co., Ltd.**

No. 1 Example Road, Shanghai
:::

# 关于违反保密义务的通知

**致**：北京模塑科技有限公司（NDA-2023-0147）

正文“引用”。

::: signature
示例汽车有限公司（盖章）

签字：\\_\\_\\_\\_
:::
"""


def test_the_page_is_a4_with_margins_and_a_page_n_of_m_footer() -> None:
    section = open_doc().sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 25
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and " / " in footer


def test_a_draft_has_a_watermark_behind_the_text_and_nothing_else_in_its_header() -> None:
    header = open_doc().sections[0].header
    xml = header._element.xml
    assert 'string="DRAFT"' in xml and "PowerPlusWaterMarkObject" in xml
    assert "z-index:-" in xml  # behind the text
    assert header.paragraphs[0].text == ""
    chinese = open_doc(LETTER, letter("zh")).sections[0].header._element.xml
    assert 'string="草稿"' in chinese


def test_an_approved_letter_carries_no_marking_at_all() -> None:
    doc = open_doc(LETTER, letter("zh", draft=False))
    section = doc.sections[0]
    assert section.header.is_linked_to_previous  # no header part of its own
    texts = [p.text for p in doc.paragraphs] + [p.text for p in section.footer.paragraphs]
    assert not any(word in t for t in texts for word in ("DRAFT", "草稿", "APPROVED"))
    assert "PowerPlusWaterMarkObject" not in doc.element.xml


def test_document_properties_name_the_letter_its_company_and_drafting_time() -> None:
    props = open_doc().core_properties
    assert props.title == "Notice of Breach — NDA-2023-0147"
    assert props.subject == "Notice of Breach"
    assert props.author == props.last_modified_by == "Example Motors Co., Ltd."
    assert props.created == props.modified == datetime(2026, 11, 11, 10, 30, tzinfo=UTC)
    assert props.comments == "" and props.language == "en-GB"


def test_headings_are_black_in_the_body_font() -> None:
    doc = open_doc()
    for name in ("Heading 1", "Heading 2"):
        style = doc.styles[name]
        assert style.font.color.rgb == docx.shared.RGBColor(0, 0, 0)
        assert style.font.name == doc.styles["Normal"].font.name


def test_a_chinese_letter_centres_its_title_and_right_aligns_the_signature() -> None:
    doc = open_doc(LETTER, letter("zh"))
    title = next(p for p in doc.paragraphs if p.text == "关于违反保密义务的通知")
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    seal = next(p for p in doc.paragraphs if p.text.startswith("示例汽车有限公司（盖章）"))
    assert seal.text == "示例汽车有限公司（盖章）\n签字：____"  # one paragraph: never split
    assert seal.style.name == "Signature Block" and seal.paragraph_format.keep_together
    assert seal.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    head = next(p for p in doc.paragraphs if p.text == "Example Motors Co., Ltd.")
    assert head.style.name == "Letterhead"
    assert "w:pBdr" in next(p for p in doc.paragraphs if "Shanghai" in p.text)._p.xml


def test_every_run_is_of_one_script_and_carries_its_language() -> None:
    doc = open_doc(LETTER, letter("zh"))
    addressee = next(p for p in doc.paragraphs if p.text.startswith("致"))
    tagged = []
    for run in addressee.runs:
        lang = run._r.rPr.find(qn("w:lang"))
        fonts = run._r.rPr.rFonts
        east = fonts is not None and fonts.get(qn("w:hint")) == "eastAsia"
        tagged.append((run.text, east, lang.get(qn("w:val")) if lang is not None else None))
    assert tagged == [
        ("致", True, "zh-CN"),
        ("：北京模塑科技有限公司（", True, "zh-CN"),
        ("NDA-2023-0147", False, "en-GB"),
        ("）", True, "zh-CN"),
    ]
    quoted = next(p for p in doc.paragraphs if p.text.startswith("正文"))
    assert [r.text for r in quoted.runs] == ["正文“引用”。"]  # Chinese quotes stay Chinese
