"""Evidence rules with no I/O: the form, addresses, login pages, who may add and see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from leakbot.domain.evidence import (
    EvidenceFile,
    EvidenceForm,
    check_form,
    looks_like_html,
    parse_links,
)
from leakbot.domain.incident import Incident
from leakbot.domain.permissions import may_add_evidence, may_see_evidence

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_addresses_are_read_one_per_line_and_kept_once() -> None:
    links, problem = parse_links("https://a.example/x\n<https://b.example>  https://a.example/x")
    assert problem is None
    assert links == ("https://a.example/x", "https://b.example")


def test_a_word_that_is_not_an_address_is_named() -> None:
    links, problem = parse_links("https://a.example\nforum post")
    assert links == () and problem is not None and "“forum”" in problem


def test_a_form_needs_a_file_or_an_address_and_no_future_time() -> None:
    _, errors = check_form(EvidenceForm(), NOW)
    assert errors == {"files": "Add a file or a web address."}
    form = EvidenceForm(files=(EvidenceFile("F1", "a.png"),), seen_at=NOW + timedelta(hours=1))
    _, errors = check_form(form, NOW)
    assert errors == {"seen_at": "That moment is in the future."}
    too_many = EvidenceForm(files=tuple(EvidenceFile(f"F{i}", "a") for i in range(11)))
    assert "files" in check_form(too_many, NOW)[1]


def test_a_login_page_is_recognised_and_a_png_is_not() -> None:
    assert looks_like_html(b"\n<!DOCTYPE html><html><body>Sign in</body></html>")
    assert looks_like_html(b"<html lang='en'>")
    assert not looks_like_html(b"\x89PNG\r\n\x1a\n<html>")
    assert not looks_like_html(b"%PDF-1.4")


def test_roles_and_the_commander_add_and_legal_security_commander_see(
    make_incident: Callable[..., Incident],
) -> None:
    incident = make_incident()
    roles = set(incident.playbook.roles)
    some_role = frozenset({sorted(roles)[0]})
    assert may_add_evidence(incident.commander, frozenset(), incident)
    assert may_add_evidence("U0ANYONE01", some_role, incident)
    assert not may_add_evidence("U0ANYONE01", frozenset({"marketing"}), incident)
    assert may_see_evidence("U0ANYONE01", frozenset({"legal"}), incident)
    assert may_see_evidence("U0ANYONE01", frozenset({"security"}), incident)
    assert may_see_evidence(incident.commander, frozenset(), incident)
    assert not may_see_evidence("U0ANYONE01", frozenset({"comms"}), incident)
