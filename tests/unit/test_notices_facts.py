"""The facts templates see: plain values, dates in the incident's zone, legal's penalty first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from leakbot.domain.config import Company, Config, Contract, Penalty, Supplier
from leakbot.domain.incident import Facts, Incident, StepState, StepStatus
from leakbot.domain.playbook import Due, InputSpec, Playbook, StepSpec
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
                InputSpec(id="amount", label="Amount", type="money"),
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


def test_an_explicit_override_wins_over_everything() -> None:
    entered = {"amount": {"amount": "800000.00", "currency": "CNY"}}
    facts = build_facts(
        incident(entered), config(FIXED), tz=TZ, now=NOW, penalty_override=Decimal("500000")
    )
    assert facts["penalty"]["amount"] == Decimal("500000")


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
        {"id": "amount", "label": "Amount", "value": "CNY 800,000.00"}
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
