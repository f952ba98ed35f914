"""Who may pull which notice: legal and the commander every one, the roles a template names in
its ``pulled_by`` that one only — over real signed requests, files read back from the stand-in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from leakbot.demo.story import COMMS, LEGAL, PROCUREMENT, REPORTER, SECURITY
from leakbot.demo.world import response_texts
from leakbot.slack.ids import Action

if TYPE_CHECKING:
    from conftest import Desk


@pytest.fixture(scope="module")
def number(desk: Desk) -> int:
    """Confirmed, the supplier notified and the penalty assessed: every notice but the
    summary is drafted."""
    found = desk.report()
    desk.confirm(found)
    desk.complete(LEGAL, found, "notify_supplier", {"sent_on": "2026-11-20"})
    desk.complete(LEGAL, found, "assess_penalty", {})
    return found


def _drafts(desk: Desk, number: int) -> dict[tuple[str, str], Any]:
    with desk.world.deps.uow() as uow:
        incident = uow.incidents.get(number)
        assert incident.id is not None
        return {(d.kind, d.locale): d for d in uow.notices.latest(incident.id)}  # one addressee


def _pull(desk: Desk, user: str, number: int, kind: str) -> tuple[list[str], str]:
    """Click "Word (.docx)" on the English ``kind``; (files the user got, what they were told)."""
    draft = _drafts(desk, number)[(kind, "en")]
    channel, _ = desk.world.checklist(number)
    files = len(desk.standin.files_for(user))
    told = len(desk.private_texts(user))
    reply = desk.world.click(user, Action.PULL_DOCX.value, f"{draft.id}:docx", channel=channel)
    assert reply.status == 200, reply.text
    text = desk.told(user, told)
    desk.world.settle()
    return [f.name for f in desk.standin.files_for(user)[files:]], text


@pytest.mark.parametrize(
    ("who", "kind"),
    [
        (COMMS, "partner_advisory"),
        (SECURITY, "takedown_request"),
        (PROCUREMENT, "rectification_demand"),
        (LEGAL, "penalty_demand"),
        (REPORTER, "breach_notice"),  # the commander
    ],
)
def test_a_role_the_template_names_may_pull_that_notice(
    desk: Desk, number: int, who: str, kind: str
) -> None:
    files, text = _pull(desk, who, number, kind)
    to = "-forum_example" if kind == "takedown_request" else ""  # one per platform
    assert files == [f"LEAK-{number}-{kind}{to}-en-v1.docx"], text
    assert "on its way" in text


@pytest.mark.parametrize(
    ("who", "kind"),
    [
        (COMMS, "penalty_demand"),
        (COMMS, "breach_notice"),
        (SECURITY, "rectification_demand"),
        (PROCUREMENT, "penalty_demand"),
        (PROCUREMENT, "partner_advisory"),
    ],
)
def test_a_role_the_template_does_not_name_is_refused_privately_and_gets_no_file(
    desk: Desk, number: int, who: str, kind: str
) -> None:
    uploads = len(desk.calls("files.getUploadURLExternal"))
    files, text = _pull(desk, who, number, kind)
    assert files == []
    assert text.startswith(":no_entry:") and "`legal`" in text, text
    assert len(desk.calls("files.getUploadURLExternal")) == uploads
    assert not any(e.user != who for e in desk.standin.ephemerals(who))


def test_the_list_shows_comms_only_the_notices_comms_may_pull(desk: Desk, number: int) -> None:
    reply = desk.world.slash(COMMS, f"notices LEAK-{number}")
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    shown = response_texts(reply)
    assert "Partner advisory" in shown, shown
    assert "Penalty demand" not in shown and "Breach notice" not in shown
    assert "NDA-2023-0147" not in shown
    assert "Approve" not in str(reply.json())


def test_legal_still_lists_every_notice(desk: Desk, number: int) -> None:
    shown = response_texts(desk.world.slash(LEGAL, f"notices LEAK-{number}"))
    for words in ("Partner advisory", "Penalty demand", "Breach notice", "Takedown request"):
        assert words in shown, shown
