"""What a reporter typed, checked and turned into ``Facts`` (errors keyed by field)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from leakbot.domain.config import Config
from leakbot.domain.errors import InvalidInputs
from leakbot.domain.incident import SEVERITIES, Facts
from leakbot.domain.inputs import parse_urls

UNKNOWN_SUPPLIER = "unknown"


@dataclass(frozen=True)
class ReportForm:
    """The report modal's fields as text, exactly as typed or picked."""

    title: str
    asset: str = ""
    where_seen: str = ""
    supplier: str = UNKNOWN_SUPPLIER
    discovered_on: str = ""  # YYYY-MM-DD
    severity: str = "high"
    description: str = ""
    playbook: str = ""


def check_report(
    form: ReportForm, config: Config, playbook_ids: tuple[str, ...], now: datetime, tz: ZoneInfo
) -> tuple[Facts, str]:
    """The incident's facts and the playbook id, or InvalidInputs naming every bad field."""
    errors: dict[str, str] = {}
    title = form.title.strip()
    if not title:
        errors["title"] = "Give the leak a short title."
    elif len(title) > 150:
        errors["title"] = "Keep the title under 150 characters."
    try:
        where = parse_urls(form.where_seen)
    except ValueError as e:
        errors["where_seen"] = f"Each place must be a web address: {e}."
        where = ()
    supplier_id: str | None = form.supplier.strip() or UNKNOWN_SUPPLIER
    if supplier_id == UNKNOWN_SUPPLIER:
        supplier_id = None
    elif config.supplier(supplier_id) is None:
        errors["supplier"] = "Pick a configured supplier, or “unknown”."
    discovered: datetime | None = None
    if form.discovered_on.strip():
        try:
            day = date.fromisoformat(form.discovered_on.strip())
        except ValueError:
            errors["discovered_on"] = "Use a date (YYYY-MM-DD)."
        else:
            discovered = datetime.combine(day, time(0, 0), tzinfo=tz)
            if discovered.date() > now.astimezone(tz).date():
                errors["discovered_on"] = "The discovery date cannot be in the future."
    if form.severity not in SEVERITIES:
        errors["severity"] = f"Pick one of: {', '.join(SEVERITIES)}."
    playbook = form.playbook or (playbook_ids[0] if playbook_ids else "")
    if playbook not in playbook_ids:
        errors["playbook"] = "Pick one of the playbooks."
    if len(form.description) > 3000:
        errors["description"] = "Keep the description under 3,000 characters."
    if errors:
        raise InvalidInputs(errors)
    facts = Facts(
        title=title,
        asset=form.asset.strip(),
        where_seen=where,
        discovered_at=discovered,
        severity=form.severity,
        description=form.description.strip(),
        supplier_id=supplier_id,
    )
    return facts, playbook
