"""The drafter the services call: locales per supplier, nothing drafted while a fact is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from leakbot.domain.config import Config, Contract, Penalty, Supplier
from leakbot.domain.incident import Facts, Incident, StepState, StepStatus
from leakbot.domain.penalty import PENALTY_FACT
from leakbot.domain.playbook import InputSpec, Playbook, StepSpec
from leakbot.notices.drafter import NoticeDrafter
from leakbot.notices.render import NoticeRenderer

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOW = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


def supplier(locales: tuple[str, ...], penalty: Penalty | None = None) -> Supplier:
    contract = Contract("NDA-2023-0147", "9.2", penalty, rectification_days=14)
    return Supplier("bjmold", "Beijing Molding", "北京模塑科技有限公司", None, contract, locales)


def drafter(s: Supplier) -> NoticeDrafter:
    config = Config(roles={}, suppliers=(s,))
    return NoticeDrafter(NoticeRenderer(TEMPLATES), config, ZoneInfo("Asia/Shanghai"), FixedClock())


def incident() -> Incident:
    playbook = Playbook(
        id="p",
        name="P",
        steps=(
            StepSpec(
                id="assess_penalty",
                title="Assess",
                owner="legal",
                inputs=(
                    InputSpec(id="amount", label="Amount", type="money", default_from=PENALTY_FACT),
                ),
            ),
        ),
    )
    return Incident(
        number=3,
        facts=Facts(title="Leak", supplier_id="bjmold"),
        reporter="U1",
        commander="U1",
        playbook=playbook,
        opened_at=NOW,
        steps={"assess_penalty": StepState("assess_penalty", StepStatus.READY)},
    )


def test_supplier_notices_follow_the_suppliers_locales_and_others_use_every_locale() -> None:
    english_only = supplier(("en",))
    assert drafter(english_only).locales("breach_notice", english_only) == ("en",)
    assert drafter(english_only).locales("internal_summary", english_only) == ("en", "zh")
    both = supplier(("en", "zh"))
    assert drafter(both).locales("breach_notice", both) == ("en", "zh")
    assert drafter(both).locales("no_such_kind", both) == ()


def test_a_penalty_demand_waits_until_someone_names_an_amount() -> None:
    s = supplier(("en",))
    case = incident()
    assert drafter(s).render("penalty_demand", "en", case, []) is None
    case.steps["assess_penalty"].inputs = {"amount": {"amount": "250000.00", "currency": "CNY"}}
    draft = drafter(s).render("penalty_demand", "en", case, [])
    assert draft is not None and "CNY 250,000.00" in draft.body
    assert draft.kind == "penalty_demand" and draft.audience == "supplier"


def test_the_contract_penalty_is_enough_for_a_draft() -> None:
    s = supplier(("zh",), Penalty("CNY", amount=Decimal("1000000")))
    draft = drafter(s).render("penalty_demand", "zh", incident(), [])
    assert draft is not None and "人民币壹佰万元整" in draft.body
    assert draft.title == "违约金支付通知函 — NDA-2023-0147"
