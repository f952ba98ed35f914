"""The demo's notices opened in a real office suite, as legal would open them.

``leakbot demo`` drafts every notice of the seed story; LibreOffice (``soffice --headless
--convert-to pdf``) turns each Word file into a PDF, and poppler reads it back: ``pdfinfo`` for
the pages, ``pdftotext`` for what a reader sees and where it stands, ``pdffonts`` for the faces,
``pdftoppm`` for the pixels of the watermark. The office suite is installed by ``.ci/run``;
without it these tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from running import leakbot

TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdffonts", "pdftoppm")
COMPANY, COMPANY_ZH = "Example Motors Co., Ltd.", "示例汽车有限公司"
TO_SUPPLIER = ("breach_notice", "penalty_demand", "rectification_demand")
TO_THIRD_PARTIES = ("takedown_request", "partner_advisory")
INTERNAL = ("internal_summary",)
#: LEAK-1-breach_notice-zh-v1, LEAK-1-takedown_request-forum.example-en-v1
FILE = re.compile(r"LEAK-\d+-(?P<kind>[a-z_]+)(?:-(?P<to>[\w.-]+?))?-(?P<locale>[a-z]{2})-v\d+")
A4 = (595.3, 841.9)  # points
MARGIN = 70.9  # 25 mm
#: What a printed letter must never show: Markdown or template markup left over.
MARKUP = re.compile(
    r"\*\*|(?<!_)__(?!_)|`|~~|\]\(|<!--|-->|\{\{|\}\}|\{%|%\}|\{#|#\}|^\s*#+\s|^:::|"
    r"\\[!-/:-@\[-`{-~]|\bNone\b|\bUndefined\b",
    re.MULTILINE,
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Printed:
    """One notice as LibreOffice printed it."""

    name: str  # LEAK-1-breach_notice-zh-v1 (the Word file's name)
    kind: str
    locale: str
    approved: bool
    heading: str  # the letter's title, from its Markdown
    pages: list[str]  # pdftotext of each page
    sizes: list[tuple[float, float]]  # points, each page
    fonts: str  # pdffonts
    pdf: Path

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def is_letter(self) -> bool:
        return self.kind != "internal_summary"


def _need_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must install the office suite (.ci/run); missing: {', '.join(missing)}")
    if missing:
        pytest.skip(f"needs LibreOffice and poppler-utils; missing: {', '.join(missing)}")


def _run(*args: str, timeout: float = 180) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args[0]}: {done.stderr[-2000:]}"
    return done.stdout


def to_pdf(files: list[Path], out: Path) -> None:
    """One soffice run for all files, with a private profile so parallel runs don't collide."""
    profile = Path("/tmp") / f"leakbot-soffice-{uuid.uuid4().hex}"
    try:
        _run(
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def read_pdf(pdf: Path) -> tuple[list[str], list[tuple[float, float]], str]:
    info = _run("pdfinfo", str(pdf))
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    sizes_text = _run("pdfinfo", "-f", "1", "-l", str(count), str(pdf))
    sizes = [
        (float(w), float(h))
        for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", sizes_text, re.M)
    ]
    pages = [
        _run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-")
        for n in range(1, count + 1)
    ]
    return pages, sizes, _run("pdffonts", str(pdf))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Printed]]:
    _need_tools()
    work = tmp_path_factory.mktemp("letters")
    out = work / "notices"
    done = leakbot("demo", "--out", str(out), cwd=work, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    words = sorted(out.glob("*.docx"))
    named = [FILE.fullmatch(word.stem) for word in words]
    kinds = {(m.group("kind"), m.group("locale")) for m in named if m}
    assert kinds == {
        (k, loc) for k in TO_SUPPLIER + TO_THIRD_PARTIES + INTERNAL for loc in ("en", "zh")
    }
    to_pdf(words, work / "pdf")
    found = []
    for word in words:
        markdown = word.with_suffix(".md").read_text(encoding="utf-8")
        heading = re.search(r"^# +(.+?)\s*$", markdown, re.MULTILINE)
        m = FILE.fullmatch(word.stem)
        assert m is not None, word.name
        kind, locale = m.group("kind"), m.group("locale")
        pdf = work / "pdf" / f"{word.stem}.pdf"
        pages, sizes, fonts = read_pdf(pdf)
        found.append(
            Printed(
                name=word.stem,
                kind=kind,
                locale=locale,
                approved="APPROVED" in markdown.splitlines()[0],
                heading=heading.group(1).replace("\\", "") if heading else "",
                pages=pages,
                sizes=sizes,
                fonts=fonts,
                pdf=pdf,
            )
        )
    yield found


# --- the page ---------------------------------------------------------------------------------
def test_every_notice_prints_on_a4_with_page_n_of_m_at_the_foot(printed: list[Printed]) -> None:
    for notice in printed:
        assert len(notice.sizes) == len(notice.pages) >= 1, notice.name
        for number, (size, page) in enumerate(zip(notice.sizes, notice.pages, strict=True), 1):
            assert size == pytest.approx(A4, abs=1), (notice.name, number, size)
            foot = [line.strip() for line in page.strip().splitlines()][-1]
            assert re.fullmatch(rf"{number}\s*/\s*{len(notice.pages)}", foot), (notice.name, foot)


def test_no_notice_shows_markdown_template_markup_or_an_empty_value(
    printed: list[Printed],
) -> None:
    for notice in printed:
        for number, page in enumerate(notice.pages, 1):
            shown = MARKUP.findall(page)
            assert not shown, (notice.name, number, shown)


def test_chinese_letters_print_chinese_in_a_cjk_face_and_english_ones_none(
    printed: list[Printed],
) -> None:
    for notice in printed:
        if notice.locale == "zh":
            assert len(CJK.findall(notice.text)) > 200, notice.name
            assert "CJK" in notice.fonts, (notice.name, notice.fonts)
        elif notice.is_letter:
            assert not CJK.search(notice.text), notice.name


# --- the markings -----------------------------------------------------------------------------
def _watermark_share(pdf: Path, page: int, work: Path) -> float:
    """Share of the page in the single most frequent light grey: a watermark is one flat
    tone over a large area; text, rules and anti-aliasing are not."""
    stem = work / f"{pdf.stem}-{page}"
    _run("pdftoppm", "-gray", "-r", "30", "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(stem))  # fmt: skip
    data = Path(f"{stem}.pgm").read_bytes()
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    counts = [0] * 256
    for value in pixels[: int(width) * int(height)]:
        counts[value] += 1
    return max(counts[200:250]) / (int(width) * int(height))


def test_drafts_carry_a_watermark_and_the_approved_letter_no_marking(
    printed: list[Printed], tmp_path: Path
) -> None:
    approved = [n for n in printed if n.approved]
    assert [n.name for n in approved] == ["LEAK-1-penalty_demand-zh-v1"]
    for notice in printed:
        for page in range(1, len(notice.pages) + 1):
            share = _watermark_share(notice.pdf, page, tmp_path)
            if notice.approved:
                assert share < 0.005, (notice.name, page, share)
            else:
                assert share > 0.02, (notice.name, page, share)
        for marking in ("DRAFT", "草稿", "APPROVED", "PRIVILEGED", "已批准"):
            assert marking not in notice.text, (notice.name, marking)


def test_the_incident_reference_shows_only_as_our_reference_to_the_supplier(
    printed: list[Printed],
) -> None:
    for notice in printed:
        if notice.kind in TO_THIRD_PARTIES:
            assert not re.search(r"LEAK-\d", notice.text), notice.name
        elif notice.kind in TO_SUPPLIER:
            label = "我方编号" if notice.locale == "zh" else "Our reference"
            assert re.search(rf"{label}[:：]\s*LEAK-1\b", notice.text), notice.name
            first = notice.text.index("LEAK-1")
            assert label in notice.text[max(0, first - 20) : first], notice.name


# --- letterhead, title and signature ----------------------------------------------------------
Line = tuple[float, float, float, str]  # y, x from, x to, text


def _lines(pdf: Path, page: int) -> list[Line]:
    """The words of ``page`` with their positions, grouped into lines as printed."""
    xhtml = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    words = [
        (float(y0), float(x0), float(x1), html.unescape(text))
        for x0, y0, x1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            xhtml,
        )
    ]
    lines: list[list[tuple[float, float, float, str]]] = []
    for word in sorted(words):
        if lines and abs(lines[-1][0][0] - word[0]) < 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [
        (ws[0][0], min(w[1] for w in ws), max(w[2] for w in ws), "".join(w[3] for w in ws))
        for ws in lines
    ]


def test_each_letter_opens_with_our_letterhead_and_its_title(printed: list[Printed]) -> None:
    for notice in (n for n in printed if n.is_letter):
        lines = _lines(notice.pdf, 1)
        company = COMPANY_ZH if notice.locale == "zh" else COMPANY.replace(" ", "")
        assert lines[0][3] == company, (notice.name, lines[0])
        assert (lines[0][1] + lines[0][2]) / 2 == pytest.approx(A4[0] / 2, abs=3), notice.name
        title = next(line for line in lines if line[3] == notice.heading.replace(" ", ""))
        if notice.locale == "zh":  # a Chinese letter's title is centred
            assert (title[1] + title[2]) / 2 == pytest.approx(A4[0] / 2, abs=3), notice.name
        else:
            assert title[1] == pytest.approx(MARGIN, abs=3), notice.name


def test_each_letter_ends_with_a_signature_block_to_sign(printed: list[Printed]) -> None:
    for notice in (n for n in printed if n.is_letter):
        last = len(notice.pages)
        lines = [line for line in _lines(notice.pdf, last) if not re.fullmatch(r"\d+/\d+", line[3])]
        if notice.locale == "zh":  # company and seal, signatory, date: right-aligned
            block = [line[3] for line in lines[-4:]]
            assert block[0] == f"{COMPANY_ZH}（盖章）", (notice.name, block)
            assert block[1] == "授权代表：李文（法务总监）", (notice.name, block)
            assert block[2].startswith("签字：__"), (notice.name, block)
            assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", block[3]), (notice.name, block)
            for line in lines[-4:]:
                assert line[2] == pytest.approx(A4[0] - MARGIN, abs=3), (notice.name, line)
        else:
            block = [line[3] for line in lines[-5:]]
            assert block[0] == "Yoursfaithfully,", (notice.name, block)
            assert re.fullmatch(r"_{20,}", block[1]), (notice.name, block)
            assert block[2:] == ["LiWen", "GeneralCounsel", "ForandonbehalfofExampleMotorsCo.,Ltd."]


def test_people_are_named_in_notices_never_shown_as_slack_ids(printed: list[Printed]) -> None:
    for notice in printed:
        ids = re.findall(r"\b[UW][A-Z0-9]{8,}\b", notice.text)
        assert not ids, (notice.name, ids)
