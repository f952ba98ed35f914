"""The facts a notice template sees: plain dicts, lists, strings, numbers and dates.

Templates run in a sandbox; handing them domain objects would let a template reach into
methods and state. Everything is copied into plain values here, dates already in the
incident's time zone, the penalty already decided and spelled out per locale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from leakbot.domain.config import Company, Config, Contract, Penalty, Supplier
from leakbot.domain.evidence import EvidenceItem, Source, Status
from leakbot.domain.incident import Incident
from leakbot.domain.penalty import BREACHES_INPUT, assess, penalty_input
from leakbot.domain.playbook import InputSpec
from leakbot.notices.chinese import in_chinese, quote_zh
from leakbot.notices.events import event_words
from leakbot.notices.money import SUPPORTED_LOCALES, amount_in_words, format_date, format_money
from leakbot.notices.platforms import platforms

RECTIFICATION_DAYS = "rectification_days"
#: The date input of a step that records when the notice it drafts was sent.
SENT_INPUT = "sent_on"


class TimelineLike(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def after(self) -> Any: ...


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the audit log as a notice shows it."""

    at: datetime
    actor: str
    action: str
    subject: str
    after: Any = None


def build_facts(
    incident: Incident,
    config: Config,
    *,
    timeline: Sequence[TimelineLike] = (),
    tz: ZoneInfo,
    now: datetime,
    evidence: Sequence[EvidenceItem] = (),
    people: Mapping[str, str] | None = None,
    addressee: str = "",
) -> dict[str, Any]:
    """The context of every template (documented in docs/templates.md).

    ``people`` are the names known for Slack user ids (the ``person`` filter shows them);
    ``addressee`` is the host of the platform a per-platform notice is drafted for."""
    supplier = config.supplier(incident.facts.supplier_id)
    contract = supplier.contract if supplier else None
    today = now.astimezone(tz).date()
    inputs = {sid: dict(state.inputs) for sid, state in incident.steps.items()}
    names = dict(people or {})
    found = platforms(incident.facts.where_seen)
    return {
        "incident": _incident(incident, tz),
        "supplier": _supplier(supplier) if supplier else None,
        "company": _company(config.company),
        "inputs": inputs,
        "steps": _steps(incident, tz, names),
        "penalty": _penalty(contract, incident, inputs),
        "deadlines": _deadlines(incident, contract, today, tz),
        "sent": _sent(incident),
        "platforms": found,
        "platform": next((p for p in found if p["host"] == addressee), None),
        "timeline": [_entry(e, incident, tz, names) for e in timeline],
        "people": names,
        "today": today,
        "timezone": tz.key,
        "evidence": [_evidence(item, tz) for item in evidence if item.status is Status.KEPT],
    }


_WHAT = {
    Source.UPLOAD: ("{n} {files} ({names})", "文件{n}份（{names}）"),
    Source.MESSAGE: ("a message kept in our incident records", "我司事件记录中保存的一条消息"),
    Source.LINK: ("the web pages named", "所列网页"),
}


def _evidence(item: EvidenceItem, tz: ZoneInfo) -> dict[str, Any]:
    """What a notice may say of an item: what, where, when seen, the hashes; never the files."""
    kept = item.kept_files
    names = ", ".join(f.name for f in kept)
    en, zh = _WHAT[item.source]
    if item.source is Source.UPLOAD and not kept:
        en, zh = _WHAT[Source.LINK]
    return {
        "ref": item.ref,
        "what": en.format(n=len(kept), files="file" if len(kept) == 1 else "files", names=names),
        "what_zh": zh.format(n=len(kept), names=names.replace(", ", "、")),
        "where": list(item.links),
        "seen_at": (item.seen_at or item.added_at).astimezone(tz),
        "sha256": [f.sha256 for f in kept if item.source is not Source.MESSAGE],
    }


def _incident(incident: Incident, tz: ZoneInfo) -> dict[str, Any]:
    f = incident.facts
    return {
        "ref": incident.ref,
        "number": incident.number,
        "title": f.title,
        "asset": f.asset,
        "title_zh": f.title_zh,
        "asset_zh": f.asset_zh,
        # what a Chinese notice shows: the Chinese text, else the original quoted in 「」
        "zh": {
            "title": f.title_zh or quote_zh(f.title),
            "asset": f.asset_zh or (quote_zh(f.asset) if f.asset else ""),
        },
        "where_seen": list(f.where_seen),
        "discovered_at": f.discovered_at.astimezone(tz).date() if f.discovered_at else None,
        "severity": f.severity,
        "description": f.description,
        "opened_at": incident.opened_at.astimezone(tz),
        "status": incident.status.value,
        "reporter": incident.reporter,
        "commander": incident.commander,
        "playbook": incident.playbook.name,
    }


def _company(c: Company) -> dict[str, Any]:
    """Chinese values fall back to the others, so a zh letter always has something to show."""
    s = c.signatory
    signatory = None
    if s is not None:
        signatory = {
            "name": s.name,
            "title": s.title,
            "name_zh": s.name_zh or s.name,
            "title_zh": s.title_zh or s.title,
        }
    return {
        "name": c.name,
        "name_zh": c.name_zh or c.name,
        "address": c.address,
        "address_zh": c.address_zh or c.address,
        "email": c.email,
        "phone": c.phone,
        "signatory": signatory,
    }


def _supplier(s: Supplier) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "name_zh": s.name_zh or s.name,
        "contact_email": s.contact_email,
        "contract": _contract(s.contract) if s.contract else None,
    }


def _contract(c: Contract) -> dict[str, Any]:
    return {
        "reference": c.reference,
        "clause": c.clause,
        "liquidated_damages_clause": c.liquidated_damages_clause or c.clause,
        "rectification_days": c.rectification_days,
        "payment_days": c.payment_days,
        "penalty": _contract_penalty(c.penalty) if c.penalty else None,
    }


def _contract_penalty(p: Penalty) -> dict[str, Any]:
    return {"amount": p.amount, "per_breach": p.per_breach, "cap": p.cap, "currency": p.currency}


def _steps(incident: Incident, tz: ZoneInfo, names: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for spec in incident.playbook.steps:
        state = incident.steps.get(spec.id)
        if state is None:
            continue
        rows.append(
            {
                "id": spec.id,
                "title": spec.title,
                "title_zh": spec.title_in("zh"),
                "owner": spec.owner,
                "status": state.status.value,
                "done_by": state.done_by,
                "done_at": state.done_at.astimezone(tz) if state.done_at else None,
                "due_at": state.due_at.astimezone(tz) if state.due_at else None,
                "note": state.note,
                "inputs": [
                    {
                        "id": key,
                        "label": _label(spec.input(key), key, "en"),
                        "label_zh": _label(spec.input(key), key, "zh"),
                        "value": _show(spec.input(key), value, "en", names),
                        "value_zh": _show(spec.input(key), value, "zh", names),
                    }
                    for key, value in state.inputs.items()
                    if value not in (None, "")
                ],
            }
        )
    return rows


def _label(spec: InputSpec | None, key: str, locale: str) -> str:
    return spec.label_in(locale) if spec is not None else key


def _show(spec: InputSpec | None, value: Any, locale: str, names: Mapping[str, str]) -> str:
    """An input value as one line of text in ``locale``: a choice by its label, a date and an
    amount as letters write them, a person by name (money inputs are stored as dicts)."""
    if isinstance(value, Mapping) and "amount" in value:
        amount, currency = _decimal(value["amount"]), str(value.get("currency") or "")
        if amount is not None and len(currency) == 3:
            return format_money(amount, currency, locale)
        return f"{currency} {value['amount']}".strip()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if spec is not None and spec.type == "choice":
        choice = spec.choice(value)
        return choice.label_in(locale) if choice is not None else str(value)
    if spec is not None and spec.type == "date":
        day = _date(value)
        return format_date(day, locale) if day is not None else str(value)
    if spec is not None and spec.type == "user":
        return names.get(str(value), str(value))
    if locale == "zh" and spec is not None and spec.type in ("text", "long_text"):
        return in_chinese(str(value))
    return str(value)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _sent(incident: Incident) -> dict[str, date]:
    """notice kind -> the date it was sent, as the step that drafts it records it (its
    ``sent_on`` date input): the penalty demand cites the breach notice's date from here."""
    sent: dict[str, date] = {}
    for spec in incident.playbook.steps:
        state = incident.steps.get(spec.id)
        given = state.inputs.get(SENT_INPUT) if state is not None else None
        day = _date(given) if given not in (None, "") else None
        if day is None:
            continue
        for kind in spec.notices:
            sent.setdefault(kind, day)
    return sent


def _entry(
    e: TimelineLike, incident: Incident, tz: ZoneInfo, names: Mapping[str, str]
) -> dict[str, Any]:
    after = getattr(e, "after", None)
    return {
        "at": e.at.astimezone(tz),
        "actor": e.actor,
        "action": e.action,
        "subject": e.subject,
        "event": event_words(e.action, e.subject, after, incident.playbook, "en", names),
        "event_zh": event_words(e.action, e.subject, after, incident.playbook, "zh", names),
    }


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _penalty(
    contract: Contract | None, incident: Incident, inputs: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any] | None:
    """Legal's figure wins (the playbook's penalty input, ``domain.penalty.penalty_input``),
    else the contract's, for the breaches counted in the same step. None when no one has named
    an amount (the penalty demand then waits)."""
    found = penalty_input(incident.playbook)
    entered = inputs.get(found[0].id, {}) if found else {}
    breaches_value = _decimal(entered.get(BREACHES_INPUT))
    breaches = int(breaches_value) if breaches_value is not None else 1
    assessment = assess(contract, max(breaches, 1))
    currency = assessment.currency if assessment else None
    amount: Decimal | None = None
    source = "contract"
    raw = entered.get(found[1].id) if found else None
    if raw not in (None, ""):
        if isinstance(raw, Mapping):
            currency = str(raw.get("currency") or currency or "") or None
            raw = raw.get("amount")
        amount, source = _decimal(raw), "assessed"
    if amount is None and assessment is not None:
        amount, source = assessment.amount, "contract"
    if amount is None or not currency:
        return None
    return {
        "amount": amount,
        "currency": currency,
        "figures": {loc: format_money(amount, currency, loc) for loc in SUPPORTED_LOCALES},
        "words": {loc: amount_in_words(amount, currency, loc) for loc in SUPPORTED_LOCALES},
        "source": source,
        "basis": assessment.basis if assessment and source == "contract" else "fixed",
        "breaches": assessment.breaches if assessment else 1,
        "per_breach": assessment.per_breach if assessment else None,
        "cap": assessment.cap if assessment else None,
        "capped": bool(assessment and source == "contract" and assessment.capped),
    }


def _deadlines(
    incident: Incident, contract: Contract | None, today: date, tz: ZoneInfo
) -> dict[str, Any]:
    """Rectification: the due date of the step timed by the contract's rectification days (so
    the notice and the checklist agree), else today plus those days. Payment: today plus the
    contract's payment days."""
    rect_days = contract.rectification_days if contract else None
    rectification: date | None = None
    if rect_days is not None:
        rectification = today + timedelta(days=rect_days)
        for spec in incident.playbook.steps:
            state = incident.steps.get(spec.id)
            timed = spec.due is not None and spec.due.contract_days == RECTIFICATION_DAYS
            if timed and state is not None and state.due_at is not None:
                rectification = state.due_at.astimezone(tz).date()
                break
    payment_days = contract.payment_days if contract else None
    return {
        "rectification": rectification,
        "rectification_days": rect_days,
        "payment": today + timedelta(days=payment_days) if payment_days is not None else None,
        "payment_days": payment_days,
    }
