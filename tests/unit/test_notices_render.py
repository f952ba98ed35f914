"""Notices rendered from the shipped templates for the seed case, and template problems found."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from markdown_it import MarkdownIt

from leakbot.domain.config import Company, Config
from leakbot.domain.incident import Facts, Incident, StepState, StepStatus
from leakbot.domain.penalty import PENALTY_FACT
from leakbot.domain.playbook import Due, InputSpec, Playbook, StepSpec
from leakbot.notices.facts import TimelineEntry, build_facts
from leakbot.notices.render import NoticeRenderer, check_templates
from leakbot.notices.sample import SEED_SUPPLIER
from leakbot.notices.sample import seed_facts as sample_seed_facts
from leakbot.operator_errors import ProblemsFound

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)
SUPPLIER = SEED_SUPPLIER  # the seed case's supplier, as leakbot.notices.sample has it
CONFIG = Config(
    roles={"legal": ("U0LEG00001",)},
    suppliers=(SUPPLIER,),
    company=Company(name="Example Motors Co., Ltd.", name_zh="示例汽车有限公司"),
)
PLAYBOOK = Playbook(
    id="supplier-leak",
    name="Supplier leak",
    steps=(
        StepSpec(id="confirm", title="Confirm the leak", owner="security"),
        StepSpec(
            id="assess_penalty",
            title="Assess the penalty",
            owner="legal",
            inputs=(
                InputSpec(id="amount", label="Amount", type="money", default_from=PENALTY_FACT),
            ),
        ),
        StepSpec(
            id="rectification",
            title="Rectification plan",
            owner="procurement",
            due=Due(contract_days="rectification_days"),
        ),
    ),
)


def seed_incident(title: str = "Front bumper drafts on a forum") -> Incident:
    return Incident(
        number=1,
        facts=Facts(
            title=title,
            asset="K9 front bumper drafts",
            where_seen=("https://forum.example/t/12345",),
            discovered_at=datetime(2026, 11, 9, tzinfo=TZ),
            supplier_id="bjmold",
        ),
        reporter="U0SEC00001",
        commander="U0SEC00001",
        playbook=PLAYBOOK,
        opened_at=NOW - timedelta(days=1),
        steps={
            "confirm": StepState("confirm", StepStatus.DONE, done_by="U0SEC00001", done_at=NOW),
            "assess_penalty": StepState("assess_penalty", StepStatus.READY),
            "rectification": StepState(
                "rectification", StepStatus.READY, due_at=NOW + timedelta(days=14)
            ),
        },
    )


def seed_facts(case: Incident | None = None) -> dict[str, Any]:
    case = case or seed_incident()
    timeline = [TimelineEntry(case.opened_at, "U0SEC00001", "incident.opened", case.ref)]
    return build_facts(case, CONFIG, timeline=timeline, tz=TZ, now=NOW)


@pytest.fixture(scope="module")
def renderer() -> NoticeRenderer:
    return NoticeRenderer(TEMPLATES)


def test_every_kind_ships_in_english_and_chinese(renderer: NoticeRenderer) -> None:
    kinds = renderer.kinds()
    for kind in (
        "breach_notice",
        "penalty_demand",
        "rectification_demand",
        "takedown_request",
        "internal_summary",
        "partner_advisory",
    ):
        assert kinds[kind] == ("en", "zh")


def test_the_shipped_templates_have_no_problems() -> None:
    assert check_templates(TEMPLATES) == []


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_breach_notice_names_the_agreement_clause_and_the_leak(
    renderer: NoticeRenderer, locale: str
) -> None:
    notice = renderer.render("breach_notice", locale, seed_facts())
    body = notice.body_markdown
    assert notice.audience == "supplier" and "NDA-2023-0147" in notice.title
    assert "NDA-2023-0147" in body and "9.2" in body
    assert "https://forum.example/t/12345" in body and "K9 front bumper drafts" in body
    name = "北京模塑科技有限公司" if locale == "zh" else "Beijing Molding Technology Co., Ltd."
    assert name in body
    assert ("2026年11月9日" if locale == "zh" else "9 November 2026") in body
    assert body.startswith("::: letterhead\n")


def test_the_english_penalty_demand_gives_the_amount_in_figures_words_and_a_due_date(
    renderer: NoticeRenderer,
) -> None:
    body = renderer.render("penalty_demand", "en", seed_facts()).body_markdown
    assert "CNY 1,000,000.00" in body and "one million yuan" in body
    assert "clause 9.2" in body and "**30 days**" in body
    assert "11 December 2026" in body


def test_the_chinese_penalty_demand_writes_the_amount_in_financial_numerals(
    renderer: NoticeRenderer,
) -> None:
    body = renderer.render("penalty_demand", "zh", seed_facts()).body_markdown
    assert "人民币壹佰万元整" in body and "1,000,000.00" in body
    assert "第9.2条" in body and "2026年12月11日" in body and "30日" in body


@pytest.mark.parametrize(
    ("locale", "days", "deadline"),
    [("en", "**14 days**", "25 November 2026"), ("zh", "**14日**", "2026年11月25日")],
)
def test_the_rectification_demand_gives_the_contract_period_and_its_deadline(
    renderer: NoticeRenderer, locale: str, days: str, deadline: str
) -> None:
    body = renderer.render("rectification_demand", locale, seed_facts()).body_markdown
    assert days in body and deadline in body and "NDA-2023-0147" in body
    for topic in (
        ("sub-supplier", "access", "training", "audit")
        if locale == "en"
        else ("下级供应商", "访问控制", "培训", "审计")
    ):
        assert topic in body


def test_the_partner_advisory_names_no_one_and_gives_no_leak_details(
    renderer: NoticeRenderer,
) -> None:
    facts = seed_facts()
    for locale in ("en", "zh"):
        notice = renderer.render("partner_advisory", locale, facts)
        text = notice.title + notice.body_markdown
        for secret in ("Beijing", "北京模塑", "K9", "forum.example", "LEAK-1", "bumper", "NDA-"):
            assert secret not in text


def test_the_internal_summary_lists_the_timeline_and_the_steps(renderer: NoticeRenderer) -> None:
    body = renderer.render("internal_summary", "en", seed_facts()).body_markdown
    assert "| Confirm the leak | done | U0SEC00001 |" in body
    assert (
        "| 10 November 2026, 10:00 | U0SEC00001 | Reported the leak; the incident was opened |"
        in body
    )


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_summary_names_people_and_says_events_in_words_in_a_table(
    renderer: NoticeRenderer, locale: str
) -> None:
    """No Slack ids, no event codes, no option values: what a person reads. The timeline is a
    table, so no list number runs into the date after it ("10.2 December")."""
    body = renderer.render("internal_summary", locale, sample_seed_facts()).body_markdown
    assert "Li Na" in body and "Chen Jie" in body
    assert "U0SEC00001" not in body and "U0LEG00001" not in body
    for code in ("incident.opened", "step.completed", "notice.drafted", "`", "confirmed\n"):
        assert code not in body
    heading = "| Time | Person | Event |" if locale == "en" else "| 时间 | 人员 | 事项 |"
    assert heading in body
    if locale == "zh":
        assert "| 确认泄露 | 已完成 | Li Na |" in body and "结论：已确认" in body
        assert "完成“确认泄露”" in body and "Confirm the leak" not in body
        assert "前保险杠设计草图被发布在论坛上" in body
    else:
        assert "Verdict: Confirmed" in body and "Completed “Confirm the leak”" in body


def test_the_penalty_demand_cites_the_damages_clause_and_the_breach_notice_date(
    renderer: NoticeRenderer,
) -> None:
    facts = sample_seed_facts()  # clause 9.2, liquidated damages in 11.1, notice sent 10 Nov
    en = renderer.render("penalty_demand", "en", facts).body_markdown
    assert "our notice of breach dated 10 November 2026" in en
    assert "Under **clause 11.1** of the Agreement, you are liable" in en
    zh = renderer.render("penalty_demand", "zh", facts).body_markdown
    assert "于2026年11月10日向贵司发出违约通知" in zh and "根据《保密协议》**第11.1条**的约定" in zh
    bare = {**facts, "sent": {}}
    contract = {**facts["supplier"]["contract"], "clause": None, "liquidated_damages_clause": None}
    bare["supplier"] = {**facts["supplier"], "contract": contract}
    sparse = renderer.render("penalty_demand", "en", bare).body_markdown
    assert "Under the Agreement, you are liable" in sparse
    assert "notice of breach concerning" in sparse


@pytest.mark.parametrize("kind", ["breach_notice", "penalty_demand", "rectification_demand"])
def test_chinese_letters_use_the_chinese_text_or_quote_the_original(
    renderer: NoticeRenderer, kind: str
) -> None:
    given = renderer.render(kind, "zh", sample_seed_facts()).body_markdown
    assert "K9项目前保险杠设计草图（C版）" in given and "Project K9" not in given
    quoted = renderer.render(kind, "zh", seed_facts()).body_markdown
    assert "「K9 front bumper drafts」" in quoted
    assert "：K9 front" not in quoted and "（K9 front" not in quoted


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_a_takedown_request_is_addressed_to_one_platform_with_its_urls_only(
    renderer: NoticeRenderer, locale: str
) -> None:
    facts = sample_seed_facts()  # forum.example and files.example
    forum, files = facts["platforms"]
    body = renderer.render("takedown_request", locale, {**facts, "platform": files}).body_markdown
    assert "files.example" in body and "https://files.example/k9-bumper.zip" in body
    assert "forum.example" not in body
    assert (
        "To the operator of files.example," if locale == "en" else "files.example 平台运营方："
    ) in body


@pytest.mark.parametrize("title", ["{{ 7*7 }}", "{% for x in y %}", "*x* # y", "{{ config }}"])
def test_user_text_is_printed_literally_never_evaluated(
    renderer: NoticeRenderer, title: str
) -> None:
    facts = seed_facts(seed_incident(title=title))
    notice = renderer.render("internal_summary", "en", facts)
    assert "49" not in notice.body_markdown
    html = MarkdownIt("commonmark").render(notice.body_markdown)
    assert f"<strong>Title:</strong> {escape(title, quote=False)}</li>" in html
    assert "<em>x</em>" not in html


def test_a_template_requiring_a_missing_fact_reports_what_is_missing(
    renderer: NoticeRenderer,
) -> None:
    case = seed_incident()
    case.facts.where_seen = ()
    assert renderer.missing("takedown_request", "en", seed_facts(case)) == ["platform"]
    assert renderer.missing("breach_notice", "en", seed_facts(case)) == []


def test_the_title_is_plain_text_even_when_it_holds_user_text(tmp_path: Path) -> None:
    (tmp_path / "memo.en.md.j2").write_text(
        '---\ntitle: "Memo: {{ incident.title }}"\naudience: internal\nlocale: en\n'
        "kind: memo\n---\nBody\n",
        encoding="utf-8",
    )
    notice = NoticeRenderer(tmp_path).render("memo", "en", seed_facts(seed_incident("*x*_y")))
    assert notice.title == "Memo: *x*_y"


def test_an_edited_front_matter_takes_effect_at_the_next_render(tmp_path: Path) -> None:
    path = tmp_path / "memo.en.md.j2"
    front = "---\ntitle: {title}\naudience: internal\nlocale: en\nkind: memo\n{extra}---\nBody\n"
    path.write_text(front.format(title="First", extra=""), encoding="utf-8")
    renderer, facts = NoticeRenderer(tmp_path), seed_facts()
    assert renderer.render("memo", "en", facts).title == "First"
    path.write_text(front.format(title="Second", extra="requires: [inputs.nothing]\n"), "utf-8")
    assert renderer.missing("memo", "en", facts) == ["inputs.nothing"]
    assert renderer.render("memo", "en", facts).title == "Second"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(TEMPLATES / name, target)
    for partial in TEMPLATES.glob("_*"):  # the letterhead and signature it includes
        shutil.copy(partial, tmp_path / partial.name)
    return target


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_a_syntax_error_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    path = _copy(tmp_path, "breach_notice.en.md.j2")
    text = path.read_text(encoding="utf-8").replace(
        "## 2. The facts", "## 2. The facts {{ incident.ref + }}"
    )
    path.write_text(text, encoding="utf-8")
    problems = check_templates(tmp_path)
    assert len(problems) == 1
    assert problems[0].file == str(path)
    assert "syntax error" in problems[0].message
    assert problems[0].line == _line_of(path, "## 2. The facts")


def test_a_misspelled_variable_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _copy(tmp_path, "penalty_demand.zh.md.j2")
    text = path.read_text(encoding="utf-8").replace(
        "{{ deadlines.payment | date }}前", "{{ deadlines.paymnet | date }}前"
    )
    path.write_text(text, encoding="utf-8")
    problems = check_templates(tmp_path)
    assert [(p.file, p.line) for p in problems] == [(str(path), _line_of(path, "paymnet"))]
    assert "paymnet" in problems[0].message
    assert str(problems[0]).startswith(f"{path}:{_line_of(path, 'paymnet')}: ")


def test_a_bad_variable_in_the_title_is_reported_at_the_title_line(tmp_path: Path) -> None:
    path = tmp_path / "memo.en.md.j2"
    path.write_text(
        '---\naudience: internal\ntitle: "{{ incident.nope }}"\nlocale: en\nkind: memo\n---\nx\n',
        encoding="utf-8",
    )
    problems = check_templates(tmp_path)
    assert [(p.line, p.key) for p in problems] == [(3, "title")]


def test_bad_front_matter_is_reported_key_by_key(tmp_path: Path) -> None:
    path = tmp_path / "memo.en.md.j2"
    path.write_text(
        "---\ntitle: Memo\naudience: internal\nlocale: zh\nkind: memo\ncolour: red\n"
        "requires: [secrets.key]\n---\nBody\n",
        encoding="utf-8",
    )
    problems = {(p.line, p.key) for p in check_templates(tmp_path)}
    assert problems == {(4, "locale"), (6, "colour"), (7, "requires")}


def test_pulled_by_names_roles_and_a_bad_one_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "memo.en.md.j2"
    path.write_text(
        "---\ntitle: Memo\naudience: internal\nlocale: en\nkind: memo\n"
        "pulled_by: [comms, legal]\n---\nBody\n",
        encoding="utf-8",
    )
    problems = check_templates(tmp_path)
    assert [(p.line, p.key) for p in problems] == [(6, "pulled_by")]
    assert "legal" in problems[0].message
    path.write_text(
        "---\ntitle: Memo\naudience: internal\nlocale: en\nkind: memo\n"
        "pulled_by: comms\n---\nBody\n",
        encoding="utf-8",
    )
    assert check_templates(tmp_path) == []
    assert NoticeRenderer(tmp_path).template("memo", "en").front.pulled_by == ("comms",)


def test_the_bundled_templates_name_who_may_pull_them() -> None:
    renderer = NoticeRenderer(TEMPLATES)
    named = {
        kind: renderer.template(kind, locale).front.pulled_by
        for kind, locales in renderer.kinds().items()
        for locale in locales
    }
    assert named == {
        "partner_advisory": ("comms",),
        "takedown_request": ("security",),
        "rectification_demand": ("procurement",),
        "breach_notice": (),
        "penalty_demand": (),
        "internal_summary": (),
    }


def test_a_template_without_front_matter_or_with_a_bad_name_is_reported(tmp_path: Path) -> None:
    (tmp_path / "memo.en.md.j2").write_text("# Just a body\n", encoding="utf-8")
    (tmp_path / "Memo-EN.j2").write_text("---\n---\n", encoding="utf-8")
    messages = sorted(str(p) for p in check_templates(tmp_path))
    assert any("Memo-EN.j2" in m and "<kind>.<locale>" in m for m in messages)
    assert any("memo.en.md.j2:1" in m and "front matter" in m for m in messages)


def test_a_template_cannot_reach_into_python_objects(tmp_path: Path) -> None:
    path = tmp_path / "memo.en.md.j2"
    path.write_text(
        "---\ntitle: Memo\naudience: internal\nlocale: en\nkind: memo\n---\n"
        "{{ today.__class__.__mro__ }}\n",
        encoding="utf-8",
    )
    problems = check_templates(tmp_path)
    assert [p.line for p in problems] == [7]


def test_rendering_a_kind_that_has_no_template_is_a_user_error(renderer: NoticeRenderer) -> None:
    with pytest.raises(Exception, match="no `nonsense` notice template"):
        renderer.render("nonsense", "en", seed_facts())


def test_a_broken_template_at_render_time_raises_located_problems(tmp_path: Path) -> None:
    path = tmp_path / "memo.en.md.j2"
    path.write_text(
        "---\ntitle: Memo\naudience: internal\nlocale: en\nkind: memo\n---\n\nok\n{{ nope }}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProblemsFound) as caught:
        NoticeRenderer(tmp_path).render("memo", "en", seed_facts())
    assert caught.value.problems[0].line == 9
