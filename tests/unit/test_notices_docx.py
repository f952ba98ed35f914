"""Markdown to Word: the document re-opened with python-docx shows the structure legal expects."""

from __future__ import annotations

from io import BytesIO

import docx
from docx.document import Document
from docx.oxml.ns import qn

from leakbot.notices.docx import (
    APPROVED_LABEL,
    DRAFT_LABEL,
    EAST_ASIAN_BODY_FONT,
    markdown_to_docx,
    status_label,
)

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


def open_doc(markdown: str = NOTICE, label: str = DRAFT_LABEL) -> Document:
    return docx.Document(BytesIO(markdown_to_docx(markdown, header="LEAK-1", status_label=label)))


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


def test_every_page_header_shows_the_reference_and_the_draft_label() -> None:
    doc = open_doc()
    header = doc.sections[0].header.paragraphs[0].text
    assert "LEAK-1" in header and "DRAFT — PRIVILEGED & CONFIDENTIAL" in header
    approved = open_doc(label=APPROVED_LABEL).sections[0].header.paragraphs[0].text
    assert "APPROVED" in approved and "DRAFT" not in approved


def test_status_labels_follow_the_draft_status() -> None:
    assert status_label("approved") == APPROVED_LABEL
    assert status_label("draft") == DRAFT_LABEL


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
