"""What a reporter typed, checked and turned into ``Facts`` (errors keyed by field)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from leakbot.domain.config import Config
from leakbot.domain.errors import InvalidInputs
from leakbot.domain.hygiene import LIMITS, check_text
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
    title_zh: str = ""  # optional: the title in Chinese, for Chinese notices
    asset_zh: str = ""  # optional: what leaked, in Chinese


def check_report(
    form: ReportForm, config: Config, playbook_ids: tuple[str, ...], now: datetime, tz: ZoneInfo
) -> tuple[Facts, str]:
    """The incident's facts and the playbook id, or InvalidInputs naming every bad field.

    Text is cleaned and bounded by ``leakbot.domain.hygiene`` (``LIMITS``)."""
    errors: dict[str, str] = {}

    def text(field: str, value: str, what: str, **how: bool) -> str:
        try:
            return check_text(value, LIMITS[field], **how)
        except ValueError as e:
            errors[field] = f"{what} {e}."
            return ""

    title = text("title", form.title, "The title", required=True)
    asset = text("asset", form.asset, "What leaked")
    description = text("description", form.description, "The description", multiline=True)
    where: tuple[str, ...] = ()
    where_text = text("where_seen", form.where_seen, "This field", multiline=True)
    if "where_seen" not in errors:
        try:
            where = parse_urls(where_text)
        except ValueError as e:
            errors["where_seen"] = f"Each place must be a web address: {e}."
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
    title_zh = form.title_zh.strip()
    if len(title_zh) > 150:
        errors["title_zh"] = "Keep the Chinese title under 150 characters."
    if errors:
        raise InvalidInputs(errors)
    facts = Facts(
        title=title,
        asset=asset,
        where_seen=where,
        discovered_at=discovered,
        severity=form.severity,
        description=description,
        supplier_id=supplier_id,
        title_zh=title_zh,
        asset_zh=form.asset_zh.strip(),
    )
    return facts, playbook
