"""The template check reads each template back from its Word file, as the letter's reader would,
and names the template line of every leftover: Markdown or template markup, an empty value, and
English words in a Chinese letter."""

from __future__ import annotations

import shutil
from pathlib import Path

from leakbot.loading.paths import bundled_templates_dir
from leakbot.notices.render import check_templates
from leakbot.notices.sample import seed_facts
from leakbot.notices.template_check import read_back_problems, word_text

TEMPLATES = bundled_templates_dir()


def _folder(tmp_path: Path) -> Path:
    for path in TEMPLATES.glob("*.j2"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_bold_markers_beside_full_width_punctuation_are_caught_at_their_line(
    tmp_path: Path,
) -> None:
    path = _folder(tmp_path) / "penalty_demand.zh.md.j2"
    text = path.read_text(encoding="utf-8")
    fixed = "（小写：**{{ penalty.figures.zh }}**）"
    assert fixed in text
    path.write_text(text.replace(fixed, "（小写**：{{ penalty.figures.zh }}**）"), encoding="utf-8")
    problems = check_templates(tmp_path)
    line = _line_of(path, "（小写**：")
    assert {(p.line, p.message.split(":")[0]) for p in problems} == {
        (line, "Markdown markup left in the letter")
    }
    assert any("（小写**：CNY 1,0" in p.message for p in problems)
    assert str(problems[0]).startswith(f"{path}:{line}: ")


def test_template_markup_and_empty_values_are_caught(tmp_path: Path) -> None:
    path = _folder(tmp_path) / "breach_notice.en.md.j2"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Dear Sir or Madam,",
        "Dear {{ '{{' }} name }},\n\nRef. ({{ supplier.id | replace('bjmold', '') }})",
    )
    path.write_text(text, encoding="utf-8")
    found = {(p.line, p.message.split(":")[0]) for p in check_templates(tmp_path)}
    assert (_line_of(path, "Dear {{"), "template markup left in the letter") in found
    assert (_line_of(path, "Ref. ("), "empty brackets") in found


def test_english_in_a_chinese_letter_is_caught_at_its_line(tmp_path: Path) -> None:
    path = _folder(tmp_path) / "breach_notice.zh.md.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("特此通知。", "Please reply soon. 特此通知。"), encoding="utf-8")
    problems = [str(p) for p in check_templates(tmp_path)]
    line = _line_of(path, "Please reply soon")
    assert problems == [
        f"{path}:{line}: English in a Chinese letter: `Please reply soon`; "
        "write it in Chinese, or quote the original in 「」"
    ]


def test_english_from_a_fact_is_traced_to_the_line_that_prints_it(tmp_path: Path) -> None:
    path = _folder(tmp_path) / "takedown_request.zh.md.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("特此通知。", "{{ incident.title }}特此通知。"), encoding="utf-8")
    problems = [p for p in check_templates(tmp_path) if "incident.title" in p.message]
    assert {p.line for p in problems} == {_line_of(path, "{{ incident.title }}特此通知")}


def test_names_references_urls_amounts_dates_and_quotations_may_be_latin() -> None:
    path = TEMPLATES / "breach_notice.zh.md.j2"
    markdown = (
        "北京模塑科技有限公司（Beijing Molding Technology Co., Ltd.）依NDA-2023-0147第9.2条，"
        "于https://forum.example/t/12345发布，金额CNY 1,000,000.00，IP地址，2026年11月9日，"
        "原文「Front bumper drafts posted on a forum」，联系legal@bjmold.example，"
        "时区Asia/Shanghai，生成Word文件。\n"
    )
    assert read_back_problems(path, "zh", markdown, seed_facts()) == []


def test_the_word_text_is_what_the_reader_sees() -> None:
    assert word_text("**粗体**：正文\n\n- 列表\n", "zh") == ["粗体：正文", "列表"]
