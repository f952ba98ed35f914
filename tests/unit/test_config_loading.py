"""The config file → Config: the contract's keys work as written, every problem names its line."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from leakbot.domain.config import Company, Contract, Penalty, Signatory
from leakbot.loading.config_file import load_config
from leakbot.loading.paths import bundled_example_config
from leakbot.loading.yamlpos import parse_yaml
from leakbot.operator_errors import Problem, ProblemsFound

FIXTURES = Path(__file__).parent.parent / "fixtures" / "config"
_MARKER = re.compile(r"#\s*expect:\s*(\S+):\s*(.+?)\s*$")


def expected_problems(path: Path) -> list[tuple[int, str | None, str]]:
    """(line, key, part of the message) for each `# expect:` marker in a fixture."""
    found = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _MARKER.search(text)
        if m:
            found.append((number, None if m.group(1) == "-" else m.group(1), m.group(2)))
    return found


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ProblemsFound) as caught:
        load_config(path)
    return caught.value.problems


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leakbot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- configs that load ----------------------------------------------------------------------
def test_a_config_holding_only_the_contracts_keys_loads_as_written() -> None:
    config = load_config(FIXTURES / "contract_only.yaml")
    assert config.roles["legal"] == ("U0LEG00001", "S0LEGAL001")
    assert config.announce_channel == "C0ANNOUNCE1"
    supplier = config.supplier("bjmold")
    assert supplier is not None
    assert supplier.name_zh == "北京模塑科技有限公司"
    assert supplier.contact_email == "legal@bjmold.example"
    assert supplier.contract == Contract(
        reference="NDA-2023-0147",
        clause="9.2",
        penalty=Penalty(currency="CNY", amount=Decimal("1000000")),
        rectification_days=14,
        payment_days=30,
    )
    assert supplier.notice_locales == ("en", "zh")
    assert config.company == Company()


def test_the_bundled_example_config_loads_with_no_problem() -> None:
    config = load_config(bundled_example_config())
    assert set(config.roles) == {"security", "legal", "procurement", "comms"}
    assert config.source == str(bundled_example_config())


def test_the_company_block_gives_letterhead_contact_and_signatory() -> None:
    company = load_config(bundled_example_config()).company
    assert company.name == "Example Motors Co., Ltd." and company.name_zh == "示例汽车有限公司"
    assert company.address and company.address_zh and company.phone
    assert company.email == "legal@example-motors.example"
    assert company.signatory == Signatory(
        name="Li Wen", title="General Counsel", name_zh="李文", title_zh="法务总监"
    )


def test_a_company_needs_only_its_name_and_a_signatory_only_a_name(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "roles: {legal: [U0LEG00001]}\ncompany:\n  name: Acme\n"))
    assert config.company == Company(name="Acme")
    config = load_config(
        write(
            tmp_path,
            "roles: {legal: [U0LEG00001]}\ncompany: {name: Acme, signatory: {name: Li Wen}}\n",
        )
    )
    assert config.company.signatory == Signatory(name="Li Wen")


def test_bad_company_keys_are_reported_at_their_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "roles: {legal: [U0LEG00001]}\n"
        "company_name: Acme\n"
        "company:\n"
        "  name: Acme\n"
        "  email: not-an-address\n"
        "  fax: 123\n"
        "  signatory: {title: Counsel}\n",
    )
    found = [(p.line, p.key, p.message) for p in problems_of(path)]
    assert [(line, key) for line, key, _ in found] == [
        (2, "company_name"),
        (5, "company.email"),
        (6, "company.fax"),
        (7, "company.signatory.name"),
    ]
    assert "company.name" in found[0][2]


def test_amounts_are_decimals_and_a_penalty_may_be_per_breach_with_a_cap(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "roles: {legal: [U0LEG00001]}\n"
        "company_name: Example Motors\n"
        "company_name_zh: 示例汽车\n"
        "suppliers:\n"
        "  - id: acme\n    name: Acme\n    notice_locales: [zh]\n"
        "    contract:\n      reference: 7\n      payment_days: 45\n"
        "      penalty: {per_breach: 250000.50, cap: '1,000,000', currency: eur}\n",
    )
    config = load_config(path)
    supplier = config.supplier("acme")
    assert supplier is not None and supplier.contract is not None
    assert supplier.contract.penalty == Penalty(
        currency="EUR", per_breach=Decimal("250000.50"), cap=Decimal("1000000")
    )
    assert (supplier.contract.reference, supplier.contract.payment_days) == ("7", 45)
    assert supplier.notice_locales == ("zh",)
    assert (config.company.name, config.company.name_zh) == ("Example Motors", "示例汽车")


def test_a_supplier_without_a_chinese_name_gets_notices_in_english_only(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "roles: {legal: [W0LEG00001]}\nsuppliers: [{id: s, name: S}]\n")
    )
    supplier = config.supplier("s")
    assert supplier is not None and supplier.notice_locales == ("en",)
    assert supplier.contract is None


def test_the_config_remembers_the_line_of_every_key_path() -> None:
    config = load_config(FIXTURES / "contract_only.yaml")
    assert config.lines["roles"] == 2
    assert config.lines["roles.legal"] == 4
    assert config.lines["suppliers[0].contract.rectification_days"] == 17


# --- configs that do not --------------------------------------------------------------------
BROKEN = sorted(p.name for p in FIXTURES.glob("*.yaml") if p.name != "contract_only.yaml")


@pytest.mark.parametrize("name", BROKEN)
def test_each_broken_config_reports_every_problem_at_its_marked_line_and_key(name: str) -> None:
    path = FIXTURES / name
    expected = expected_problems(path)
    problems = problems_of(path)
    got = sorted((p.line or 0, p.key, p.message) for p in problems)
    assert [(line, key) for line, key, _ in got] == [(line, key) for line, key, _ in expected]
    for (_, _, message), (_, _, fragment) in zip(got, expected, strict=True):
        assert fragment in message
    assert all(p.file == str(path) for p in problems)


def test_problems_are_printed_one_a_line_in_line_order() -> None:
    problems = problems_of(FIXTURES / "bad_ids.yaml")
    assert [p.line for p in problems] == [3, 4, 5]
    assert str(problems[2]) == (
        f"{FIXTURES / 'bad_ids.yaml'}:5: announce_channel: "
        "'#leaks' is not a Slack channel ID (C… or G…)"
    )


def test_a_missing_config_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "absent.yaml")
    assert str(problem) == f"{tmp_path / 'absent.yaml'}: no such file"


def test_an_empty_config_says_what_it_needs(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "\n"))
    assert problem.message == "is empty; it needs at least `roles`"


def test_a_config_without_roles_says_roles_are_required(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "announce_channel: C123\n"))
    assert (problem.line, problem.key, problem.message) == (1, "roles", "is required but missing")


@pytest.mark.parametrize(
    ("penalty", "message"),
    [
        ("{amount: 0, currency: CNY}", "must be more than zero"),
        ("{amount: 1e15, currency: CNY}", "implausibly large"),
        ("{amount: 10.555, currency: CNY}", "more than two decimals"),
        ("{amount: lots, currency: CNY}", "must be an amount"),
        ("{currency: CNY}", "needs `amount`"),
        ("{cap: 5, currency: CNY}", "needs `amount`"),
        ("{amount: 5, currency: C}", "not an ISO 4217"),
    ],
)
def test_a_bad_penalty_is_refused_with_its_reason(
    tmp_path: Path, penalty: str, message: str
) -> None:
    path = write(
        tmp_path,
        "roles: {legal: [U0LEG00001]}\nsuppliers:\n  - id: s\n    name: S\n"
        f"    contract:\n      reference: R\n      penalty: {penalty}\n",
    )
    problems = problems_of(path)
    assert any(message in p.message and p.line == 7 for p in problems), problems


def test_a_recursive_alias_is_a_problem_not_a_hang() -> None:
    doc, problems = parse_yaml("a: &x [*x]\n", "loop.yaml")
    assert doc is not None
    assert [p.message for p in problems] == ["nested too deeply"]
