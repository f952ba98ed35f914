"""The operator's config (CONTRACT §4) as typed values; parsed by
``leakbot.loading.config_file``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Penalty:
    """Liquidated damages: a fixed ``amount``, or ``per_breach`` times breaches up to ``cap``."""

    currency: str
    amount: Decimal | None = None
    per_breach: Decimal | None = None
    cap: Decimal | None = None


@dataclass(frozen=True)
class Contract:
    reference: str
    clause: str | None = None  # the confidentiality clause a breach notice cites
    penalty: Penalty | None = None
    rectification_days: int | None = None
    payment_days: int = 30  # days the supplier has to pay a penalty demand
    #: the clause that provides for liquidated damages, cited by the penalty demand;
    #: None: the same as ``clause``
    liquidated_damages_clause: str | None = None


@dataclass(frozen=True)
class Supplier:
    id: str
    name: str
    name_zh: str | None = None
    contact_email: str | None = None
    contract: Contract | None = None
    #: Locales its notices are drafted in; default: en, plus zh when ``name_zh`` is set.
    notice_locales: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class Signatory:
    """Who signs the letters, as the signature block names them."""

    name: str
    title: str | None = None
    name_zh: str | None = None
    title_zh: str | None = None


@dataclass(frozen=True)
class Company:
    """Our company as the letterhead and the signature block show it."""

    name: str = "Our company"
    name_zh: str | None = None
    address: str | None = None
    address_zh: str | None = None
    email: str | None = None
    phone: str | None = None
    signatory: Signatory | None = None  # none: the letter has a signature line to fill


@dataclass(frozen=True)
class Config:
    #: role -> Slack user IDs (U…/W…) and user group IDs (S…)
    roles: dict[str, tuple[str, ...]]
    announce_channel: str | None = None
    suppliers: tuple[Supplier, ...] = ()
    #: our company, as its letters show it (config ``company:``, or ``company_name[_zh]``)
    company: Company = field(default_factory=Company)
    source: str | None = None  # the file it came from
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key path -> line

    def supplier(self, supplier_id: str | None) -> Supplier | None:
        if supplier_id is None:
            return None
        return next((s for s in self.suppliers if s.id == supplier_id), None)

    def members(self, role: str) -> tuple[str, ...]:
        return self.roles.get(role, ())
