"""``/leak`` and App Home: answers only the caller sees, with no more than the caller may know."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from leakbot.demo.story import COMMS, LEGAL, PROCUREMENT, REPORTER, SECURITY
from leakbot.demo.world import response_texts
from leakbot.devslack import Reply

if TYPE_CHECKING:
    from conftest import Desk

OUTSIDER = "U0OUT00001"
TITLE = "K9 grille tooling data sent to a competitor"


@pytest.fixture(scope="module")
def number(desk: Desk) -> int:
    """One incident, reported by REPORTER, confirmed by security."""
    found = desk.report(title=TITLE)
    desk.confirm(found)
    return found


def _private(reply: Reply) -> dict[str, Any]:
    """The command's answer, checked to be for the caller's eyes only."""
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    return dict(body)


# "payload" anywhere in a command's body once made Bolt's own parse of it come out empty;
# Bolt is handed the edge's parse instead (leakbot.slack.http.ParsedOnce).
@pytest.mark.parametrize("text", ["help", "bogus", "HELP", "payload"])
def test_help_and_anything_unknown_answer_with_help_to_the_caller_only(
    desk: Desk, text: str
) -> None:
    channel_posts = len(desk.calls("chat.postMessage"))
    body = _private(desk.world.slash(REPORTER, text))
    assert "/leak status" in json.dumps(body) and "/leak notices" in json.dumps(body)
    assert len(desk.calls("chat.postMessage")) == channel_posts


def test_list_shows_open_incidents_to_the_caller_only(desk: Desk, number: int) -> None:
    body = _private(desk.world.slash(OUTSIDER, "list"))
    shown = json.dumps(body, ensure_ascii=False)
    assert f"LEAK-{number}" in shown
    assert TITLE not in shown


@pytest.mark.parametrize("form", ["LEAK-{n}", "{n}", "leak-{n}", "Leak-{n}"])
def test_status_accepts_the_reference_in_every_form(desk: Desk, number: int, form: str) -> None:
    body = _private(desk.world.slash(REPORTER, "status " + form.format(n=number)))
    shown = json.dumps(body, ensure_ascii=False)
    assert f"LEAK-{number}" in shown and TITLE in shown


def test_status_typed_inside_the_incident_channel_needs_no_reference(
    desk: Desk, number: int
) -> None:
    channel, _ = desk.world.checklist(number)
    body = _private(desk.world.slash(SECURITY, "status", channel=channel))
    shown = json.dumps(body, ensure_ascii=False)
    assert f"LEAK-{number}" in shown and TITLE in shown


def test_status_without_a_reference_outside_an_incident_channel_asks_for_one(
    desk: Desk,
) -> None:
    body = _private(desk.world.slash(REPORTER, "status"))
    assert "LEAK-12" in body["text"]


def test_status_of_an_unknown_incident_says_so(desk: Desk) -> None:
    body = _private(desk.world.slash(REPORTER, "status LEAK-9999"))
    assert "LEAK-9999" in body["text"]


def test_status_for_someone_not_in_the_incident_shows_no_title(desk: Desk, number: int) -> None:
    body = _private(desk.world.slash(OUTSIDER, f"status LEAK-{number}"))
    shown = json.dumps(body, ensure_ascii=False)
    assert f"LEAK-{number}" in shown
    assert TITLE not in shown and "K9" not in shown and "bjmold" not in shown


def test_status_for_an_outsider_of_an_incident_closed_as_a_false_alarm_says_so(
    desk: Desk,
) -> None:
    found = desk.report(title=TITLE)
    desk.complete(SECURITY, found, "confirm", {"verdict": "false_alarm"})
    body = _private(desk.world.slash(OUTSIDER, f"status LEAK-{found}"))
    shown = json.dumps(body, ensure_ascii=False)
    assert f"LEAK-{found}" in shown and "Closed as a false alarm" in shown
    assert "Open incidents" not in shown and "open incident" not in shown
    assert TITLE not in shown


def test_notices_inside_the_channel_lists_the_drafts_for_legal(desk: Desk, number: int) -> None:
    channel, _ = desk.world.checklist(number)
    reply = desk.world.slash(LEGAL, "notices", channel=channel)
    _private(reply)
    shown = response_texts(reply)
    assert f"LEAK-{number}" in shown
    assert "Breach notice" in shown and "NDA-2023-0147" in shown


def _buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in body.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def test_legal_pulls_both_formats_with_the_buttons_of_the_list(desk: Desk, number: int) -> None:
    """Each button of an actions block has its own action_id (Slack refuses a list where two
    share one), and clicking each delivers its file to legal's direct messages."""
    channel, _ = desk.world.checklist(number)
    body = _private(desk.world.slash(LEGAL, "notices", channel=channel))
    for block in body["blocks"]:
        ids = [e["action_id"] for e in block.get("elements", []) if "action_id" in e]
        assert len(ids) == len(set(ids)), block
    first = {e["text"]["text"]: e for e in _buttons(body)[:2]}
    assert set(first) == {"Word (.docx)", "Markdown"}
    for label, suffix in (("Word (.docx)", ".docx"), ("Markdown", ".md")):
        button = first[label]
        before = len(desk.standin.files_for(LEGAL))
        reply = desk.world.click(LEGAL, button["action_id"], button["value"], channel=channel)
        assert reply.status == 200, reply.text
        desk.world.settle()
        files = desk.wait_for(lambda n=before: desk.standin.files_for(LEGAL)[n:], what="a file")
        assert files[-1].name.endswith(suffix)


def test_a_list_posted_before_the_buttons_had_their_own_ids_still_pulls(
    desk: Desk, number: int
) -> None:
    channel, _ = desk.world.checklist(number)
    body = _private(desk.world.slash(LEGAL, "notices", channel=channel))
    value = _buttons(body)[0]["value"]
    before = len(desk.standin.files_for(LEGAL))
    reply = desk.world.click(LEGAL, "notice_pull", value, channel=channel)
    assert reply.status == 200, reply.text
    desk.world.settle()
    files = desk.wait_for(lambda: desk.standin.files_for(LEGAL)[before:], what="a file")
    assert files[-1].name.endswith(".docx")


@pytest.mark.parametrize("who", [PROCUREMENT, OUTSIDER])
def test_notices_for_someone_who_may_pull_none_of_them_are_refused_and_send_no_file(
    desk: Desk, number: int, who: str
) -> None:
    uploads = len(desk.calls("files.getUploadURLExternal"))
    body = _private(desk.world.slash(who, f"notices LEAK-{number}"))
    desk.world.settle()
    assert body["text"].startswith(":no_entry:")
    assert "NDA-2023-0147" not in json.dumps(body, ensure_ascii=False)
    assert desk.standin.files_for(who) == []
    assert len(desk.calls("files.getUploadURLExternal")) == uploads


def test_the_commander_may_list_notices(desk: Desk, number: int) -> None:
    body = _private(desk.world.slash(REPORTER, f"notices {number}"))
    assert not body["text"].startswith(":no_entry:")


def _home(desk: Desk, user: str) -> str:
    before = len(desk.calls("views.publish", user_id=user))
    reply = desk.world.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert reply.status == 200
    desk.wait_for(lambda: len(desk.calls("views.publish", user_id=user)) > before)
    view = desk.standin.published_home(user)
    assert view is not None and view["type"] == "home"
    return json.dumps(view, ensure_ascii=False)


def test_app_home_lists_the_steps_waiting_on_the_person(desk: Desk, number: int) -> None:
    legal = _home(desk, LEGAL)
    assert f"LEAK-{number}" in legal
    assert "Notify the supplier of the breach" in legal
    assert "Track the rectification plan" not in legal
    comms = _home(desk, COMMS)
    assert "Advise partners who may be affected" in comms
    assert "Notify the supplier" not in comms
    assert TITLE not in legal + comms


def test_app_home_tells_an_outsider_that_nothing_waits_on_them(desk: Desk, number: int) -> None:
    desk.standin.add_user(OUTSIDER)
    home = _home(desk, OUTSIDER)
    assert "Nothing waits on you." in home
    assert TITLE not in home


def test_the_commander_hands_the_incident_over_and_the_new_one_is_invited(desk: Desk) -> None:
    found = desk.report()
    channel, _ = desk.world.checklist(found)
    before = len(desk.private_texts(REPORTER))
    reply = desk.world.slash(REPORTER, f"commander <@{COMMS}|zhao.min> LEAK-{found}")
    assert reply.status == 200
    assert "now commands" in desk.told(REPORTER, before)
    desk.world.settle()
    assert desk.incident(found).commander == COMMS
    assert any("now commands" in line for line in desk.thread(found))
    assert COMMS in desk.standin.workspace.channels[channel].members


def test_only_the_commander_can_hand_over_and_others_are_told_privately(desk: Desk) -> None:
    found = desk.report()
    before = len(desk.private_texts(SECURITY))
    desk.world.slash(SECURITY, f"commander <@{SECURITY}> {found}")
    assert "Only the commander" in desk.told(SECURITY, before)
    desk.world.settle()
    assert desk.incident(found).commander == REPORTER


def test_hand_over_without_a_person_explains_the_form(desk: Desk) -> None:
    body = _private(desk.world.slash(REPORTER, "commander"))
    assert "/leak commander @person" in json.dumps(body)


def test_the_commander_closes_an_incident_early_with_a_reason(desk: Desk) -> None:
    found = desk.report()
    channel, _ = desk.world.checklist(found)
    before = len(desk.private_texts(REPORTER))
    desk.world.slash(REPORTER, "close duplicate of an earlier report", channel=channel)
    assert "is closed" in desk.told(REPORTER, before)
    desk.world.settle()
    incident = desk.incident(found)
    assert incident.status.value == "closed"
    assert incident.close_reason == "duplicate of an earlier report"
    assert any("closed" in line for line in desk.thread(found))


def test_closing_needs_a_reason_and_the_commander(desk: Desk) -> None:
    found = desk.report()
    body = _private(desk.world.slash(REPORTER, f"close LEAK-{found}"))
    assert "Say why" in json.dumps(body)
    before = len(desk.private_texts(SECURITY))
    desk.world.slash(SECURITY, f"close LEAK-{found} not needed")
    assert "Only the commander" in desk.told(SECURITY, before)
    desk.world.settle()
    assert desk.incident(found).status.value == "open"
