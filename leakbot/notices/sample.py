"""The seed case as domain values: what ``check_templates`` renders every template with.

A bumper design leaked through a molding supplier, every step of the response done, so that
each branch a template may take has a value to show. Also handy for previews and tests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from leakbot.domain.config import Company, Config, Contract, Penalty, Signatory, Supplier
from leakbot.domain.evidence import EvidenceFile, EvidenceItem, Source, Status
from leakbot.domain.incident import Facts, Incident, StepState, StepStatus
from leakbot.domain.penalty import PENALTY_FACT
from leakbot.domain.playbook import Choice, Due, InputSpec, Playbook, StepSpec
from leakbot.notices.facts import TimelineEntry, build_facts

SAMPLE_TZ = ZoneInfo("Asia/Shanghai")
SAMPLE_NOW = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)

SEED_SUPPLIER = Supplier(
    id="bjmold",
    name="Beijing Molding Technology Co., Ltd.",
    name_zh="北京模塑科技有限公司",
    contact_email="legal@bjmold.example",
    contract=Contract(
        reference="NDA-2023-0147",
        clause="9.2",
        liquidated_damages_clause="11.1",
        penalty=Penalty(currency="CNY", amount=Decimal("1000000")),
        rectification_days=14,
    ),
    notice_locales=("en", "zh"),
)

SEED_CONFIG = Config(
    roles={"security": ("U0SEC00001",), "legal": ("U0LEG00001",), "procurement": ("U0PRO00001",)},
    suppliers=(SEED_SUPPLIER,),
    company=Company(
        name="Example Motors Co., Ltd.",
        name_zh="示例汽车有限公司",
        address="No. 1 Example Road, Jiading District, Shanghai 201800, China",
        address_zh="中国上海市嘉定区示例路1号（邮编201800）",
        email="legal@example-motors.example",
        phone="+86 21 5555 0100",
        signatory=Signatory(
            name="Li Wen", title="General Counsel", name_zh="李文", title_zh="法务总监"
        ),
    ),
)

SEED_PLAYBOOK = Playbook(
    id="supplier-leak",
    name="Supplier leak",
    steps=(
        StepSpec(
            id="confirm",
            title="Confirm the leak",
            title_zh="确认泄露",
            owner="security",
            inputs=(
                InputSpec(
                    id="verdict",
                    label="Verdict",
                    label_zh="结论",
                    type="choice",
                    options=(
                        Choice("confirmed", "Confirmed", "已确认"),
                        Choice("false_alarm", "Not a real leak", "并非泄密"),
                    ),
                ),
            ),
        ),
        StepSpec(
            id="notify_supplier",
            title="Send the breach notice",
            title_zh="发出违约通知",
            owner="legal",
            after=("confirm",),
            notices=("breach_notice",),
            inputs=(InputSpec(id="sent_on", label="Date sent", label_zh="发出日期", type="date"),),
        ),
        StepSpec(
            id="assess_penalty",
            title="Assess the penalty",
            title_zh="认定违约金",
            owner="legal",
            after=("notify_supplier",),
            inputs=(
                InputSpec(
                    id="amount",
                    label="Amount",
                    label_zh="金额",
                    type="money",
                    default_from=PENALTY_FACT,
                ),
                InputSpec(id="breaches", label="Breaches", label_zh="违约次数", type="number"),
            ),
            notices=("penalty_demand",),
        ),
        StepSpec(
            id="rectification",
            title="Obtain the rectification plan",
            title_zh="取得整改方案",
            owner="procurement",
            after=("notify_supplier",),
            due=Due(contract_days="rectification_days", fallback_seconds=14 * 86400),
            notices=("rectification_demand",),
        ),
    ),
)


def seed_incident() -> Incident:
    opened = SAMPLE_NOW - timedelta(days=1)
    facts = Facts(
        title="Front bumper drafts posted on a forum",
        asset="Project K9 front bumper design drafts (rev. C)",
        where_seen=("https://forum.example/t/12345", "https://files.example/k9-bumper.zip"),
        discovered_at=opened - timedelta(days=1),
        severity="high",
        description="Twelve CAD drawings of the front bumper appeared on a public forum.",
        supplier_id=SEED_SUPPLIER.id,
        title_zh="前保险杠设计草图被发布在论坛上",
        asset_zh="K9项目前保险杠设计草图（C版）",
    )

    def done(step_id: str, by: str, inputs: dict[str, Any] | None = None) -> StepState:
        return StepState(
            step_id=step_id,
            status=StepStatus.DONE,
            ready_at=opened,
            done_by=by,
            done_at=opened + timedelta(hours=2),
            inputs=inputs or {},
        )

    return Incident(
        number=1,
        facts=facts,
        reporter="U0SEC00001",
        commander="U0SEC00001",
        playbook=SEED_PLAYBOOK,
        opened_at=opened,
        steps={
            "confirm": done("confirm", "U0SEC00001", {"verdict": "confirmed"}),
            "notify_supplier": done(
                "notify_supplier", "U0LEG00001", {"sent_on": opened.date().isoformat()}
            ),
            "assess_penalty": done(
                "assess_penalty",
                "U0LEG00001",
                {"amount": {"amount": "1000000.00", "currency": "CNY"}},
            ),
            "rectification": StepState(
                step_id="rectification",
                status=StepStatus.READY,
                ready_at=SAMPLE_NOW,
                due_at=SAMPLE_NOW + timedelta(days=14),
            ),
        },
    )


#: The names leakbot has learnt from Slack for the seed case's people.
SEED_PEOPLE = {"U0SEC00001": "Li Na", "U0LEG00001": "Chen Jie"}


def seed_timeline(incident: Incident) -> list[TimelineEntry]:
    at = incident.opened_at
    return [
        TimelineEntry(at, incident.reporter, "incident.opened", incident.ref),
        TimelineEntry(at + timedelta(hours=2), "U0SEC00001", "step.completed", "confirm"),
        TimelineEntry(
            at + timedelta(hours=2),
            "U0SEC00001",
            "notice.drafted",
            "breach_notice.zh",
            {"version": 1},
        ),
        TimelineEntry(
            at + timedelta(hours=3),
            "U0LEG00001",
            "notice.pulled",
            "breach_notice.zh",
            {"version": 1, "format": "docx"},
        ),
    ]


def seed_evidence(incident: Incident) -> list[EvidenceItem]:
    """A screenshot with the address it was seen at, and a message kept from the channel."""
    seen = incident.opened_at - timedelta(hours=3)
    return [
        EvidenceItem(
            incident_id=1,
            number=1,
            source=Source.UPLOAD,
            added_by="U0SEC00001",
            added_at=incident.opened_at + timedelta(hours=1),
            status=Status.KEPT,
            seen_at=seen,
            links=("https://weibo.example/status/4863720011",),
            files=(EvidenceFile("F1", "weibo-post.png", "3f" * 32, 48213, "image/png"),),
        ),
        EvidenceItem(
            incident_id=1,
            number=2,
            source=Source.MESSAGE,
            added_by="U0LEG00001",
            added_at=incident.opened_at + timedelta(hours=2),
            status=Status.KEPT,
            files=(EvidenceFile("", "message-1.json", "a1" * 32, 212, "application/json"),),
        ),
    ]


def seed_facts() -> dict[str, Any]:
    """Every fact set, as a complete case produces them."""
    incident = seed_incident()
    return build_facts(
        incident,
        SEED_CONFIG,
        timeline=seed_timeline(incident),
        tz=SAMPLE_TZ,
        now=SAMPLE_NOW,
        evidence=seed_evidence(incident),
        people=SEED_PEOPLE,
    )


def sparse_facts() -> dict[str, Any]:
    """The same case with every optional fact empty: no clause, no places, no dates, no steps
    done, no timeline — templates must still render (or declare what they require)."""
    supplier = Supplier(
        id="bjmold",
        name=SEED_SUPPLIER.name,
        contract=Contract(reference="NDA-2023-0147"),
    )
    config = Config(roles={}, suppliers=(supplier,))
    incident = seed_incident()
    incident.facts = Facts(title=incident.facts.title, supplier_id=supplier.id)
    incident.steps = {sid: StepState(step_id=sid) for sid in incident.steps}
    return build_facts(incident, config, tz=SAMPLE_TZ, now=SAMPLE_NOW)


def per_breach_facts() -> dict[str, Any]:
    """The seed case under a per-breach penalty with a cap, legal having entered no amount."""
    assert SEED_SUPPLIER.contract is not None
    contract = replace(
        SEED_SUPPLIER.contract,
        penalty=Penalty(currency="CNY", per_breach=Decimal("400000"), cap=Decimal("1000000")),
    )
    config = replace(SEED_CONFIG, suppliers=(replace(SEED_SUPPLIER, contract=contract),))
    incident = seed_incident()
    incident.steps["assess_penalty"].inputs = {"breaches": "3"}
    return build_facts(incident, config, tz=SAMPLE_TZ, now=SAMPLE_NOW)


def sample_facts() -> list[dict[str, Any]]:
    """Facts that, between them, take every branch the shipped templates have."""
    return [seed_facts(), sparse_facts(), per_breach_facts()]
