"""The facts templates see: plain values, dates in the incident's zone, legal's penalty first."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from leakbot.domain.config import Company, Config, Contract, Penalty, Supplier
from leakbot.domain.incident import Facts, Incident, StepState, StepStatus
from leakbot.domain.penalty import PENALTY_FACT
from leakbot.domain.playbook import Choice, Due, InputSpec, Playbook, StepSpec
from leakbot.notices.chinese import in_chinese, quote_zh
from leakbot.notices.facts import TimelineEntry, build_facts

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 10, 20, 0, tzinfo=UTC)  # already 11 November in Shanghai
PLAYBOOK = Playbook(
    id="supplier-leak",
    name="Supplier leak",
    steps=(
        StepSpec(
            id="assess_penalty",
            title="Assess the penalty",
            owner="legal",
            inputs=(
                InputSpec(id="amount", label="Amount", type="money", default_from=PENALTY_FACT),
                InputSpec(id="breaches", label="Breaches", type="number", required=False),
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


def config(penalty: Penalty | None) -> Config:
    contract = Contract("NDA-2023-0147", "9.2", penalty, rectification_days=14, payment_days=30)
    supplier = Supplier("bjmold", "Beijing Molding Technology Co., Ltd.", None, None, contract)
    return Config(roles={}, suppliers=(supplier,), company=Company(name="Example Motors"))


def incident(inputs: dict[str, Any] | None = None, due_at: datetime | None = None) -> Incident:
    return Incident(
        number=7,
        facts=Facts(
            title="Bumper drafts",
            where_seen=("https://forum.example/t/1",),
            discovered_at=datetime(2026, 11, 8, 23, 30, tzinfo=UTC),
            supplier_id="bjmold",
        ),
        reporter="U0SEC00001",
        commander="U0SEC00001",
        playbook=PLAYBOOK,
        opened_at=NOW - timedelta(days=1),
        steps={
            "assess_penalty": StepState("assess_penalty", StepStatus.DONE, inputs=inputs or {}),
            "rectification": StepState("rectification", StepStatus.READY, due_at=due_at),
        },
    )


FIXED = Penalty("CNY", amount=Decimal("1000000"))


def test_the_contract_penalty_is_spelled_out_in_figures_and_words_per_locale() -> None:
    facts = build_facts(incident(), config(FIXED), tz=TZ, now=NOW)
    penalty = facts["penalty"]
    assert penalty["amount"] == Decimal("1000000") and penalty["source"] == "contract"
    assert penalty["figures"] == {"en": "CNY 1,000,000.00", "zh": "CNY 1,000,000.00"}
    assert penalty["words"] == {"en": "one million yuan", "zh": "人民币壹佰万元整"}


def test_the_amount_legal_entered_wins_over_the_contract() -> None:
    entered = {"amount": {"amount": "800000.00", "currency": "CNY"}}
    facts = build_facts(incident(entered), config(FIXED), tz=TZ, now=NOW)
    assert facts["penalty"]["amount"] == Decimal("800000.00")
    assert facts["penalty"]["source"] == "assessed"
    assert facts["penalty"]["words"]["zh"] == "人民币捌拾万元整"


def test_a_per_breach_penalty_uses_the_breaches_legal_counted() -> None:
    penalty = Penalty("CNY", per_breach=Decimal("400000"), cap=Decimal("1000000"))
    facts = build_facts(incident({"breaches": "2"}), config(penalty), tz=TZ, now=NOW)
    assert facts["penalty"]["amount"] == Decimal("800000")
    assert facts["penalty"]["basis"] == "per_breach" and not facts["penalty"]["capped"]


def test_no_penalty_anywhere_leaves_the_penalty_unset() -> None:
    assert build_facts(incident(), config(None), tz=TZ, now=NOW)["penalty"] is None


def test_dates_are_taken_in_the_incidents_time_zone() -> None:
    facts = build_facts(incident(), config(FIXED), tz=TZ, now=NOW)
    assert facts["today"] == date(2026, 11, 11)
    assert facts["incident"]["discovered_at"] == date(2026, 11, 9)
    assert facts["deadlines"]["payment"] == date(2026, 12, 11)
    assert facts["deadlines"]["rectification"] == date(2026, 11, 25)


def test_the_rectification_deadline_follows_the_checklist_step_when_it_is_timed() -> None:
    due = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # 27 November in Shanghai
    facts = build_facts(incident(due_at=due), config(FIXED), tz=TZ, now=NOW)
    assert facts["deadlines"]["rectification"] == date(2026, 11, 27)


def test_facts_are_plain_values_with_the_timeline_and_step_inputs() -> None:
    entry = TimelineEntry(NOW, "U0LEG00001", "step.completed", "assess_penalty")
    entered = {"amount": {"amount": "800000.00", "currency": "CNY"}}
    facts = build_facts(incident(entered), config(FIXED), timeline=[entry], tz=TZ, now=NOW)
    assert facts["inputs"]["assess_penalty"]["amount"]["amount"] == "800000.00"
    assert facts["timeline"][0]["at"].utcoffset() == timedelta(hours=8)
    assert facts["steps"][0]["inputs"] == [
        {
            "id": "amount",
            "label": "Amount",
            "label_zh": "Amount",
            "value": "CNY 800,000.00",
            "value_zh": "CNY 800,000.00",
        }
    ]
    assert facts["supplier"]["name_zh"] == "Beijing Molding Technology Co., Ltd."
    assert facts["incident"]["ref"] == "LEAK-7"
    allowed = (dict, list, str, int, Decimal, date, type(None), bool)

    def plain(value: Any) -> bool:
        if isinstance(value, dict):
            return all(plain(v) for v in value.values())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return isinstance(value, allowed)

    assert plain(facts)


def test_an_unknown_supplier_leaves_supplier_and_deadlines_empty() -> None:
    case = incident()
    case.facts.supplier_id = None
    facts = build_facts(case, config(FIXED), tz=TZ, now=NOW)
    assert facts["supplier"] is None and facts["penalty"] is None
    assert facts["deadlines"]["rectification"] is None and facts["deadlines"]["payment"] is None


# --- what Chinese notices and summaries show ----------------------------------------------
LABELLED = Playbook(
    id="supplier-leak",
    name="Supplier leak",
    steps=(
        StepSpec(
            id="contain",
            title="Request takedown",
            title_zh="要求删除",
            owner="security",
            inputs=(
                InputSpec(
                    id="removed",
                    label="Is it down?",
                    label_zh="是否已删除？",
                    type="choice",
                    options=(
                        Choice("all_removed", "All copies removed", "已全部删除"),
                        Choice("still_up", "Still online"),
                    ),
                ),
                InputSpec(id="notes", label="Notes", type="long_text", required=False),
                InputSpec(id="owner", label="Who asked", type="user", required=False),
            ),
        ),
        StepSpec(
            id="notify_supplier",
            title="Notify the supplier",
            owner="legal",
            notices=("breach_notice",),
            inputs=(InputSpec(id="sent_on", label="Sent on", type="date"),),
        ),
    ),
)


def labelled(inputs: dict[str, Any], sent_on: str | None = "2026-11-09") -> Incident:
    case = incident()
    case.playbook = LABELLED
    case.steps = {
        "contain": StepState("contain", StepStatus.DONE, inputs=inputs),
        "notify_supplier": StepState(
            "notify_supplier", StepStatus.DONE, inputs={"sent_on": sent_on} if sent_on else {}
        ),
    }
    return case


def test_a_choice_shows_its_label_in_each_language_never_its_value() -> None:
    facts = build_facts(
        labelled(
            {"removed": "all_removed", "notes": "Both sites answered.", "owner": "U0SEC00001"}
        ),
        config(FIXED),
        tz=TZ,
        now=NOW,
        people={"U0SEC00001": "Li Na"},
    )
    step = facts["steps"][0]
    assert step["title_zh"] == "要求删除"
    shown = {
        i["id"]: (i["label"], i["value"], i["label_zh"], i["value_zh"]) for i in step["inputs"]
    }
    assert shown["removed"] == ("Is it down?", "All copies removed", "是否已删除？", "已全部删除")
    assert shown["notes"][3] == "「Both sites answered.」"  # English free text, quoted in zh
    assert shown["owner"][1] == shown["owner"][3] == "Li Na"
    dates = facts["steps"][1]["inputs"][0]
    assert (dates["value"], dates["value_zh"]) == ("9 November 2026", "2026年11月9日")


def test_an_option_without_a_chinese_label_falls_back_to_its_english_label() -> None:
    facts = build_facts(labelled({"removed": "still_up"}), config(FIXED), tz=TZ, now=NOW)
    assert facts["steps"][0]["inputs"][0]["value_zh"] == "Still online"


def test_the_date_the_breach_notice_was_sent_comes_from_the_step_that_drafts_it() -> None:
    facts = build_facts(labelled({}), config(FIXED), tz=TZ, now=NOW)
    assert facts["sent"] == {"breach_notice": date(2026, 11, 9)}
    assert build_facts(labelled({}, None), config(FIXED), tz=TZ, now=NOW)["sent"] == {}


def test_the_liquidated_damages_clause_defaults_to_the_contract_clause() -> None:
    facts = build_facts(incident(), config(FIXED), tz=TZ, now=NOW)
    assert facts["supplier"]["contract"]["liquidated_damages_clause"] == "9.2"
    own = config(FIXED)
    assert own.suppliers[0].contract is not None
    contract = replace(own.suppliers[0].contract, liquidated_damages_clause="11.1")
    own = replace(own, suppliers=(replace(own.suppliers[0], contract=contract),))
    facts = build_facts(incident(), own, tz=TZ, now=NOW)
    assert facts["supplier"]["contract"]["clause"] == "9.2"
    assert facts["supplier"]["contract"]["liquidated_damages_clause"] == "11.1"


def test_a_chinese_notice_quotes_what_has_no_chinese_version() -> None:
    case = incident()
    case.facts.asset = "MS11 bumper drafts"
    english = build_facts(case, config(FIXED), tz=TZ, now=NOW)["incident"]["zh"]
    assert english == {"title": "「Bumper drafts」", "asset": "「MS11 bumper drafts」"}
    case.facts.title_zh, case.facts.asset_zh = "保险杠草图", "MS11保险杠草图"
    chinese = build_facts(case, config(FIXED), tz=TZ, now=NOW)["incident"]["zh"]
    assert chinese == {"title": "保险杠草图", "asset": "MS11保险杠草图"}


def test_the_places_are_grouped_by_platform_in_the_order_reported() -> None:
    case = incident()
    case.facts.where_seen = (
        "https://Weibo.example/status/1",
        "https://forum.example/t/2",
        "https://weibo.example/status/3",
    )
    facts = build_facts(case, config(FIXED), tz=TZ, now=NOW, addressee="weibo.example")
    assert [p["host"] for p in facts["platforms"]] == ["weibo.example", "forum.example"]
    assert facts["platform"]["urls"] == [
        "https://Weibo.example/status/1",
        "https://weibo.example/status/3",
    ]
    assert build_facts(case, config(FIXED), tz=TZ, now=NOW)["platform"] is None


def test_the_timeline_says_in_words_who_did_what_in_both_languages() -> None:
    entries = [
        TimelineEntry(NOW, "U0SEC00001", "incident.opened", "LEAK-7"),
        TimelineEntry(NOW, "U0SEC00001", "step.completed", "contain"),
        TimelineEntry(
            NOW, "U0LEG00001", "notice.pulled", "breach_notice.zh", {"version": 2, "format": "docx"}
        ),
        TimelineEntry(
            NOW, "U0LEG00001", "notice.drafted", "takedown_request.en@forum.example", {"version": 1}
        ),
        TimelineEntry(
            NOW, "U0SEC00001", "commander.changed", "LEAK-7", {"commander": "U0LEG00001"}
        ),
        TimelineEntry(NOW, "leakbot", "reminder.sent", "LEAK-7", {"kind": "idle"}),
    ]
    facts = build_facts(
        labelled({}),
        config(FIXED),
        timeline=entries,
        tz=TZ,
        now=NOW,
        people={"U0LEG00001": "Chen Jie"},
    )
    assert [e["event"] for e in facts["timeline"]] == [
        "Reported the leak; the incident was opened",
        "Completed “Request takedown”",
        "Downloaded the breach notice (Chinese), version 2 (Word)",
        "Drafted the takedown request (English, to forum.example), version 1",
        "Handed command to Chen Jie",
        "Reminded the commander: nothing has happened for a while",
    ]
    assert [e["event_zh"] for e in facts["timeline"]][:5] == [
        "报告泄露，立案",
        "完成“要求删除”",
        "下载违约通知（中文版）第2版（Word）",
        "起草删除通知（英文版，致forum.example）第1版",
        "将事件负责人移交给Chen Jie",
    ]
    assert all("." not in e["event_zh"].replace("forum.example", "") for e in facts["timeline"])


def test_chinese_text_stays_as_it_is_and_english_phrases_are_quoted() -> None:
    assert in_chinese("已全部删除") == "已全部删除"
    assert in_chinese("legal@bjmold.example") == "legal@bjmold.example"  # one token: as is
    assert in_chinese("Both sites  answered.") == "「Both sites answered.」"
    assert quote_zh("") == ""


def test_an_action_the_timeline_does_not_know_is_still_said_in_words() -> None:
    entry = TimelineEntry(NOW, "U0SEC00001", "evidence.sealed_off", "e1")
    facts = build_facts(labelled({}), config(FIXED), timeline=[entry], tz=TZ, now=NOW)
    assert facts["timeline"][0]["event"] == "Evidence sealed off"
    assert facts["timeline"][0]["event_zh"] == "其他记录（evidence sealed off）"
    assert "." not in facts["timeline"][0]["event"]
