"""The "DRAFT" / "草稿" watermark: a VML text shape in the page header, as Word makes one.

Word's own watermarks (Design → Watermark) are a WordArt text path (VML shape type 136)
anchored in the header, centred on the page, turned 45° and set behind the text in light
grey; Word and LibreOffice both show it on every page and neither lets it be mistaken for the
letter's text. An approved letter gets none.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml

WATERMARK_TEXT = {"en": "DRAFT", "zh": "草稿"}
WATERMARK_ID = "PowerPlusWaterMarkObject"  # the shape name Word gives its watermarks
FILL = "#c8c8c8"  # a light grey, at half opacity (Word: silver, semitransparent)

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
# The text-path shape type (o:spt 136) as VML defines it: its adjust formulas and path.
_FORMULAS = (
    "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3",
    "if @0 @3 0", "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6",
    "mid @8 @5", "mid @7 @8", "mid @6 @7", "sum @6 0 @5",
)  # fmt: skip


def watermark_text(locale: str) -> str:
    return WATERMARK_TEXT.get(locale.split("_")[0], WATERMARK_TEXT["en"])


def add_watermark(document: DocxDocument, text: str, font: str) -> None:
    """Put ``text`` behind every page of every section."""
    # Shape size sets the letters' proportions (the text is stretched to fit the shape).
    width = 150 * max(len(text), 2) if text.isascii() else 170 * len(text)
    height = 150 if text.isascii() else 170
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph._p.append(_shape_run(text, font, min(width, 460), height))


def _shape_run(text: str, font: str, width: int, height: int) -> object:
    formulas = "".join(f'<v:f eqn="{f}"/>' for f in _FORMULAS)
    style = (
        f"position:absolute;margin-left:0;margin-top:0;width:{width}pt;height:{height}pt;"
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        "mso-position-vertical-relative:margin"
    )
    text_style = quoteattr(f'font-family:"{font}";font-size:1pt')
    return parse_xml(
        f"<w:r {_NAMESPACES}><w:rPr><w:noProof/></w:rPr><w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        f"<v:formulas>{formulas}</v:formulas>"
        '<v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/>'
        '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        f'<v:shape id="{WATERMARK_ID}" o:spid="_x0000_s2049" type="#_x0000_t136" '
        f'style="{style}" o:allowincell="f" fillcolor="{FILL}" stroked="f">'
        '<v:fill opacity=".5"/>'
        f"<v:textpath style={text_style} string={quoteattr(text)}/>"
        '<w10:wrap anchorx="margin" anchory="margin"/>'
        "</v:shape></w:pict></w:r>"
    )
