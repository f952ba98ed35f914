"""The operator's config file (CONTRACT §4) → ``Config``, with every problem at its line.

An operator fixes a config in one go only if they see all its problems at once, so nothing here
stops at the first: each part is checked, problems are gathered, and ``ProblemsFound`` is raised
at the end with the lot.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from leakbot.domain.config import Company, Config, Contract, Penalty, Signatory, Supplier
from leakbot.domain.inputs import MAX_AMOUNT
from leakbot.domain.playbook import COMMANDER, Playbook
from leakbot.loading.yamlpos import Located, PathKey, Reader, dotted, load_yaml, type_name
from leakbot.operator_errors import Problem, ProblemsFound

#: Currencies in use today (ISO 4217), so a typo or a nickname such as RMB is caught at start.
_ISO_4217_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH
    UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
ISO_4217 = frozenset(_ISO_4217_CODES.split())
_NICKNAMES = {"RMB": "CNY"}

_ROLE = re.compile(r"^[a-z][a-z0-9_-]*$")
_MEMBER = re.compile(r"^[UWS][A-Z0-9]{2,}$")
_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")
_SUPPLIER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # a Slack option value
_LOCALE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,4})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

TOP_KEYS = (
    "roles",
    "announce_channel",
    "suppliers",
    "company",
    "company_name",
    "company_name_zh",
)
COMPANY_KEYS = ("name", "name_zh", "address", "address_zh", "email", "phone", "signatory")
SIGNATORY_KEYS = ("title", "name_zh", "title_zh")
SUPPLIER_KEYS = ("name_zh", "contact_email", "contract", "notice_locales")
CONTRACT_KEYS = (
    "clause",
    "liquidated_damages_clause",
    "penalty",
    "rectification_days",
    "payment_days",
)
PENALTY_KEYS = ("amount", "per_breach", "cap", "currency")


def load_config(path: Path) -> Config:
    """The config at ``path``; ``ProblemsFound`` names every problem as ``file:line: key: …``."""
    doc, problems = load_yaml(path)
    if doc is None or problems:
        raise ProblemsFound(problems)
    if doc.data is None:
        raise ProblemsFound([Problem(doc.file, None, None, "is empty; it needs at least `roles`")])
    reader = Reader(doc)
    config = _config(reader, doc)
    if reader.problems or config is None:
        raise ProblemsFound(sorted(reader.problems, key=lambda p: p.line or 0))
    return config


def check_roles(
    config: Config,
    playbooks: Iterable[Playbook],
    owner_line: Callable[[Playbook, int], int | None] | None = None,
) -> list[Problem]:
    """Each role a playbook gives a step to must have people in the config.

    ``owner_line(playbook, index)`` gives the line of the ``owner:`` of the step at ``index``
    when the file's positions are known; otherwise the step's own line is named. A config role
    that no step is owned by and that looks like a missing one is taken for a misspelling in
    the config, and reported at its line there; otherwise the step's owner is reported, with
    the config's closest role as a hint."""
    books = list(playbooks)
    owned = {s.owner for p in books for s in p.steps}
    unused = [role for role in config.roles if role not in owned]
    config_file = config.source or "the config"
    problems: list[Problem] = []
    blamed: set[str] = set()
    for playbook in books:
        for index, step in enumerate(playbook.steps):
            if step.owner == COMMANDER or step.owner in config.roles:
                continue
            line = (owner_line(playbook, index) if owner_line else None) or step.line
            typo = difflib.get_close_matches(step.owner, unused, n=1)
            if typo and typo[0] not in blamed:
                blamed.add(typo[0])
                where = f"{playbook.source or playbook.id}:{line}"
                problems.append(
                    Problem(
                        config_file,
                        config.lines.get(f"roles.{typo[0]}"),
                        f"roles.{typo[0]}",
                        f"no playbook step is owned by '{typo[0]}'; did you mean "
                        f"'{step.owner}' (the owner of step '{step.id}' at {where})?",
                    )
                )
            if typo:
                continue
            close = difflib.get_close_matches(step.owner, list(config.roles), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(
                    playbook.source or playbook.id,
                    line,
                    "owner",
                    f"role '{step.owner}' is not in the config ({config.source}){hint}",
                )
            )
    return problems


# --- the parts ------------------------------------------------------------------------------
def _config(r: Reader, doc: Located) -> Config | None:
    top = r.mapping((), doc.data, required=("roles",), optional=TOP_KEYS[1:])
    if top is None:
        return None
    roles = _roles(r, top.get("roles"))
    channel = None
    if top.get("announce_channel") is not None:
        channel = r.text(("announce_channel",), top["announce_channel"])
        if channel is not None and not _CHANNEL.match(channel):
            r.problem(("announce_channel",), f"'{channel}' is not a Slack channel ID (C… or G…)")
    suppliers = _suppliers(r, top.get("suppliers"))
    return Config(
        roles=roles,
        announce_channel=channel,
        suppliers=suppliers,
        company=_company(r, top),
        source=doc.file,
        lines={dotted(p): line for p, line in doc.lines.items()},
    )


def _company(r: Reader, top: dict[str, Any]) -> Company:
    """``company:`` in full, or the short ``company_name`` / ``company_name_zh``; not both."""
    name = _optional_text(r, ("company_name",), top.get("company_name"))
    name_zh = _optional_text(r, ("company_name_zh",), top.get("company_name_zh"))
    if top.get("company") is None:
        return Company(name=name or Company.name, name_zh=name_zh)
    for short in ("company_name", "company_name_zh"):
        if short in top:
            r.problem((short,), f"give it as `company.{short[8:]}` beside the other `company` keys")
    m = r.mapping(("company",), top["company"], required=("name",), optional=COMPANY_KEYS[1:])
    if m is None:
        return Company()
    texts = {
        key: _optional_text(r, ("company", key), m.get(key), numbers=key == "phone")
        for key in COMPANY_KEYS[:-1]
    }
    email = texts["email"]
    if email is not None and not _EMAIL.match(email):
        r.problem(("company", "email"), f"'{email}' is not an email address")
    signatory = None
    if m.get("signatory") is not None:
        signatory = _signatory(r, ("company", "signatory"), m["signatory"])
    return Company(
        name=texts["name"] or Company.name,
        name_zh=texts["name_zh"],
        address=texts["address"],
        address_zh=texts["address_zh"],
        email=email,
        phone=texts["phone"],
        signatory=signatory,
    )


def _signatory(r: Reader, path: PathKey, value: Any) -> Signatory | None:
    m = r.mapping(path, value, required=("name",), optional=SIGNATORY_KEYS)
    if m is None:
        return None
    name = _optional_text(r, (*path, "name"), m.get("name"))
    if name is None:
        return None
    return Signatory(
        name=name,
        title=_optional_text(r, (*path, "title"), m.get("title")),
        name_zh=_optional_text(r, (*path, "name_zh"), m.get("name_zh")),
        title_zh=_optional_text(r, (*path, "title_zh"), m.get("title_zh")),
    )


def _optional_text(r: Reader, path: PathKey, value: Any, *, numbers: bool = False) -> str | None:
    return None if value is None else r.text(path, value, numbers=numbers)


def _roles(r: Reader, value: Any) -> dict[str, tuple[str, ...]]:
    roles: dict[str, tuple[str, ...]] = {}
    if value is None or r.mapping(("roles",), value, optional=_keys(value)) is None:
        return roles
    for name, members in value.items():
        path: PathKey = ("roles", name)
        if name == COMMANDER:
            r.problem(path, "`commander` is the incident's commander, not a role to configure")
            continue
        if not _ROLE.match(name):
            r.problem(path, "a role name is lower-case letters, digits, `_` or `-`")
            continue
        ids = r.each(path, members, _member(r))
        if isinstance(members, list) and not members:
            r.problem(path, "needs at least one member")
        roles[name] = tuple(dict.fromkeys(ids))
    return roles


def _keys(value: Any) -> tuple[str, ...]:
    """Any name is allowed where the keys are the operator's own (role names)."""
    return tuple(value) if isinstance(value, dict) else ()


def _member(r: Reader) -> Any:
    def check(path: PathKey, value: Any) -> str | None:
        text = r.text(path, value)
        if text is not None and not _MEMBER.match(text):
            r.problem(
                path,
                f"'{text}' is not a Slack user ID (U… or W…) or user group ID (S…); "
                "copy it from the person's profile, not their name",
            )
            return None
        return text

    return check


def _suppliers(r: Reader, value: Any) -> tuple[Supplier, ...]:
    if value is None:
        return ()
    found: list[Supplier] = []
    first_line: dict[str, int | None] = {}
    for path, item in r.items(("suppliers",), value):
        supplier = _supplier(r, path, item)
        if supplier is None:
            continue
        if supplier.id in first_line:
            r.problem(
                (*path, "id"), f"duplicate supplier id (first on line {first_line[supplier.id]})"
            )
            continue
        first_line[supplier.id] = r.doc.line((*path, "id"))
        found.append(supplier)
    return tuple(found)


def _supplier(r: Reader, path: PathKey, value: Any) -> Supplier | None:
    m = r.mapping(path, value, required=("id", "name"), optional=SUPPLIER_KEYS)
    if m is None:
        return None
    sid = _optional_text(r, (*path, "id"), m.get("id"), numbers=True)
    if sid is not None and not _SUPPLIER_ID.match(sid):
        r.problem(
            (*path, "id"),
            "a supplier id is letters, digits, `_` or `-`, with no spaces, at most 64 characters",
        )
        sid = None
    name = _optional_text(r, (*path, "name"), m.get("name"))
    name_zh = _optional_text(r, (*path, "name_zh"), m.get("name_zh"))
    email = _optional_text(r, (*path, "contact_email"), m.get("contact_email"))
    if email is not None and not _EMAIL.match(email):
        r.problem((*path, "contact_email"), f"'{email}' is not an email address")
    contract = None
    if m.get("contract") is not None:
        contract = _contract(r, (*path, "contract"), m["contract"])
    locales: tuple[str, ...] = ("en", "zh") if name_zh else ("en",)
    if m.get("notice_locales") is not None:
        locales = tuple(
            dict.fromkeys(r.each((*path, "notice_locales"), m["notice_locales"], _locale(r)))
        )
        if not locales and isinstance(m["notice_locales"], list):
            r.problem((*path, "notice_locales"), "needs at least one locale, e.g. [en]")
    if sid is None or name is None:
        return None
    return Supplier(
        id=sid,
        name=name,
        name_zh=name_zh,
        contact_email=email,
        contract=contract,
        notice_locales=locales,
    )


def _locale(r: Reader) -> Any:
    def check(path: PathKey, value: Any) -> str | None:
        text = r.text(path, value)
        if text is not None and not _LOCALE.match(text):
            r.problem(path, f"'{text}' is not a locale such as en or zh")
            return None
        return text

    return check


def _contract(r: Reader, path: PathKey, value: Any) -> Contract | None:
    m = r.mapping(path, value, required=("reference",), optional=CONTRACT_KEYS)
    if m is None:
        return None
    reference = _optional_text(r, (*path, "reference"), m.get("reference"), numbers=True)
    clause = _clause(r, path, m, "clause")
    damages_clause = _clause(r, path, m, "liquidated_damages_clause")
    penalty = None
    if m.get("penalty") is not None:
        penalty = _penalty(r, (*path, "penalty"), m["penalty"])
    days = None
    if m.get("rectification_days") is not None:
        days = _days(r, (*path, "rectification_days"), m["rectification_days"])
    payment = 30
    if m.get("payment_days") is not None:
        payment = _days(r, (*path, "payment_days"), m["payment_days"]) or payment
    if reference is None:
        return None
    return Contract(
        reference=reference,
        clause=clause,
        liquidated_damages_clause=damages_clause,
        penalty=penalty,
        rectification_days=days,
        payment_days=payment,
    )


def _clause(r: Reader, path: PathKey, m: dict[str, Any], key: str) -> str | None:
    if isinstance(m.get(key), float):
        written = r.doc.written.get((*path, key), str(m[key]))
        r.problem(
            (*path, key),
            f'put the clause in quotes ("{written}") so it is kept exactly as written',
        )
        return None
    return _optional_text(r, (*path, key), m.get(key), numbers=True)


def _days(r: Reader, path: PathKey, value: Any) -> int | None:
    if isinstance(value, float | str):
        r.problem(path, f"must be a whole number of days, not {value!r}")
        return None
    return r.whole(path, value, minimum=1)


def _penalty(r: Reader, path: PathKey, value: Any) -> Penalty | None:
    m = r.mapping(path, value, required=("currency",), optional=PENALTY_KEYS[:-1])
    if m is None:
        return None
    currency = _currency(r, (*path, "currency"), m.get("currency"))
    given = [key for key in ("amount", "per_breach", "cap") if m.get(key) is not None]
    for key in ("amount", "per_breach", "cap"):
        if key in m and m[key] is None:
            r.problem((*path, key), "cannot be empty")
    amounts = {key: _amount(r, (*path, key), m[key]) for key in given}
    if "amount" in given and "per_breach" in given:
        r.problem(path, "give either `amount` or `per_breach`, not both")
        return None
    if "amount" not in given and "per_breach" not in given:
        r.problem(path, "needs `amount` (a fixed sum) or `per_breach` (a sum for each breach)")
        return None
    if "cap" in given and "per_breach" not in given:
        r.problem((*path, "cap"), "a cap only applies with `per_breach`")
        return None
    per, cap = amounts.get("per_breach"), amounts.get("cap")
    if per is not None and cap is not None and cap < per:
        r.problem((*path, "cap"), f"the cap ({cap}) is below the amount per breach ({per})")
        return None
    if currency is None or any(v is None for v in amounts.values()):
        return None
    return Penalty(currency=currency, amount=amounts.get("amount"), per_breach=per, cap=cap)


def _amount(r: Reader, path: PathKey, value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        r.problem(path, f"must be an amount such as 1000000, not {type_name(value)}")
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("_", "").strip())
    except InvalidOperation:
        r.problem(path, f"must be an amount such as 1000000, not {value!r}")
        return None
    if not amount.is_finite():
        r.problem(path, "must be an amount such as 1000000")
        return None
    if amount < 0:
        r.problem(path, f"must not be negative ({value})")
        return None
    if amount == 0:
        r.problem(path, "must be more than zero")
        return None
    if amount > MAX_AMOUNT:
        r.problem(path, "is implausibly large; check the number of zeros")
        return None
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        r.problem(path, "has more than two decimals")
        return None
    return amount


def _currency(r: Reader, path: PathKey, value: Any) -> str | None:
    code = r.text(path, value) if value is not None else None
    if code is None:
        return None
    if code.upper() in _NICKNAMES:
        r.problem(path, f"'{code}' is not an ISO 4217 code; write {_NICKNAMES[code.upper()]}")
        return None
    if not re.fullmatch(r"[A-Za-z]{3}", code) or code.upper() not in ISO_4217:
        r.problem(path, f"'{code}' is not an ISO 4217 currency code such as CNY, EUR or USD")
        return None
    return code.upper()
