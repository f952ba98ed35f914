"""Short messages, the notices list and the Home tab."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leakbot.domain.incident import Facts, Incident, StepStatus
from leakbot.services.queries import Waiting
from leakbot.slack.blocks import (
    Message,
    announcement,
    channel_topic,
    help_message,
    home_view,
    incident_list,
    kickoff_message,
    notices_message,
    refusal,
    reminder_message,
    status_message,
    thread_note,
)
from leakbot.slack.ids import Action

TZ = ZoneInfo("Asia/Shanghai")
EVIL = "<!channel> & <@UEVIL0001>"
SECRET_FACTS = Facts(
    title="Project K9 bumper drafts",
    asset="K9-FRONT-BUMPER",
    where_seen=("https://forum.example/t/1?a=1&b=2", "https://paste.example/x"),
    discovered_at=datetime(2024, 5, 6, 6, 30, tzinfo=UTC),
    severity="critical",
    description="Drafts v3 posted publicly.",
    supplier_id="bjmold",
)
SUPPLIER_NAME = "Beijing Molding Technology Co., Ltd."


@dataclass
class Draft:
    id: int
    kind: str
    locale: str
    version: int
    title: str
    status: str
    approved_by: str | None = None


def dump(message: Message) -> str:
    """Every string Slack would receive, validated by slack_sdk on the way."""
    return json.dumps(message.as_kwargs(), ensure_ascii=False)


def ready(incident: Incident, step_id: str, due: datetime | None = None) -> Incident:
    state = incident.steps[step_id]
    state.status = StepStatus.READY
    state.due_at = due
    return incident


def test_help_names_every_sub_command_and_both_id_forms() -> None:
    text = dump(help_message())
    for sub in ("/leak report", "/leak list", "/leak status [ID]", "/leak notices [ID]", "help"):
        assert sub in text
    assert "LEAK-12" in text and "`12`" in text


def test_the_list_shows_ref_severity_progress_and_channel_but_no_title(
    make_incident: Callable[..., Incident],
) -> None:
    first, second = make_incident(1), make_incident(2, facts=replace(SECRET_FACTS))
    first.steps["confirm"].status = StepStatus.DONE
    text = dump(incident_list([first, second], {1: "C0INCIDENT1"}))
    assert "*LEAK-1* · high · 1/3 finished · <#C0INCIDENT1>" in text
    assert "*LEAK-2* · critical · 0/3 finished" in text
    assert SECRET_FACTS.title not in text and "Bumper drafts on a forum" not in text


def test_an_empty_list_says_so() -> None:
    assert "No incident is open." in dump(incident_list([]))


def test_a_hundred_open_incidents_still_make_a_valid_list(
    make_incident: Callable[..., Incident],
) -> None:
    message = incident_list([make_incident(n) for n in range(1, 101)])
    assert len(message.blocks) <= 50
    assert "LEAK-100" in dump(message)


def test_status_shows_what_is_ready_with_its_due_time_and_the_channel(
    make_incident: Callable[..., Incident],
) -> None:
    due = datetime(2024, 5, 7, 9, 30, tzinfo=UTC)
    incident = ready(make_incident(4, facts=replace(SECRET_FACTS, title=EVIL)), "confirm", due)
    text = dump(status_message(incident, TZ, channel_id="C0INCIDENT4"))
    assert "Confirm the leak" in text and f"<!date^{int(due.timestamp())}^" in text
    assert "<#C0INCIDENT4>" in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_kickoff_lists_the_facts_and_escapes_what_was_typed(
    make_incident: Callable[..., Incident],
) -> None:
    facts = replace(SECRET_FACTS, asset=EVIL, description=f"see {EVIL}")
    text = dump(kickoff_message(make_incident(9, facts=facts), f"{SUPPLIER_NAME} {EVIL}", TZ))
    for fact in ("Project K9 bumper drafts", SUPPLIER_NAME, "critical", "<@U0SEC00001>"):
        assert fact in text
    assert "https://forum.example/t/1?a=1&amp;b=2" in text
    assert "<!channel>" not in text and "<@UEVIL0001>" not in text


def test_kickoff_says_unknown_when_no_supplier_is_suspected(
    make_incident: Callable[..., Incident],
) -> None:
    assert "Unknown" in dump(kickoff_message(make_incident(9), None, TZ))


def test_the_announcement_gives_nothing_confidential_away(
    make_incident: Callable[..., Incident],
) -> None:
    incident = make_incident(11, facts=SECRET_FACTS)
    text = dump(announcement(incident))
    assert "LEAK-11" in text and "critical" in text and "private channel" in text
    secrets = [SECRET_FACTS.title, SECRET_FACTS.asset, SUPPLIER_NAME, "bjmold", "forum.example"]
    secrets += ["paste.example", SECRET_FACTS.description, "K9", "Beijing"]
    for secret in secrets:
        assert secret not in text


def test_the_channel_topic_is_short_and_names_no_title(
    make_incident: Callable[..., Incident],
) -> None:
    topic = channel_topic(make_incident(12, facts=replace(SECRET_FACTS, title="x" * 400)))
    assert topic == "LEAK-12 · severity critical · private"
    assert len(topic) <= 250


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"event": "completed", "step_id": "confirm", "actor": "U0SEC00001"},
            "✅ <@U0SEC00001> completed *Confirm the leak*",
        ),
        (
            {"event": "reopened", "step_id": "confirm", "actor": "U1", "reason": EVIL},
            "↩️ U1 reopened *Confirm the leak*: &lt;!channel&gt; &amp; &lt;@UEVIL0001&gt;",
        ),
        (
            {"event": "skipped", "step_id": "plan", "actor": "U0PRO00001", "reason": "n/a"},
            "⏭️ <@U0PRO00001> skipped *Get a rectification plan*: n/a",
        ),
        (
            {"event": "closed", "outcome": "false_alarm", "actor": "U0SEC00001"},
            "🏁 LEAK-3 was closed as a false alarm by <@U0SEC00001>",
        ),
        (
            {"event": "commander", "actor": "U0SEC00001", "commander": "U0LEG00001"},
            "🎖️ <@U0LEG00001> now commands LEAK-3 (from <@U0SEC00001>)",
        ),
    ],
)
def test_thread_notes_say_who_did_what(
    make_incident: Callable[..., Incident], payload: dict[str, Any], expected: str
) -> None:
    assert thread_note(make_incident(3), payload) == expected


def test_a_refusal_keeps_the_rules_mentions_but_pings_no_one_else() -> None:
    text = refusal("Only the commander (<@U0SEC00001>) can do this; `<!channel>` is not an ID.")
    assert "<@U0SEC00001>" in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_a_reminder_names_the_step_and_its_due_time_with_a_complete_button(
    make_incident: Callable[..., Incident],
) -> None:
    incident = make_incident(6)
    spec = incident.playbook.step("penalty")
    due = datetime(2024, 5, 20, 1, 0, tzinfo=UTC)
    message = reminder_message(incident, spec, due, TZ, escalation=False)
    text = dump(message)
    assert "Impose the penalty" in text and "`legal`" in text
    assert "2024-05-20 09:00 CST" in text
    assert message.as_kwargs()["blocks"][1]["elements"][0]["value"] == "6:penalty"


def test_an_escalation_calls_on_the_commander(make_incident: Callable[..., Incident]) -> None:
    incident = make_incident(6)
    spec = incident.playbook.step("penalty")
    message = reminder_message(incident, spec, datetime.now(UTC), TZ, escalation=True)
    assert "Escalation" in message.text and "<@U0SEC00001>" in dump(message)


def test_notices_offer_word_and_markdown_and_approve_only_drafts_to_approvers(
    make_incident: Callable[..., Incident],
) -> None:
    drafts = [
        Draft(41, "breach_notice", "en", 2, f"Breach notice {EVIL}", "draft"),
        Draft(42, "breach_notice", "zh", 1, "违约通知", "approved", "U0LEG00001"),
    ]
    message = notices_message(make_incident(8), drafts, can_approve=True)
    blocks = message.as_kwargs()["blocks"]
    first = {e["text"]["text"]: e for e in blocks[2]["elements"]}
    second = {e["text"]["text"]: e for e in blocks[4]["elements"]}
    assert first["Word (.docx)"]["value"] == "41:docx"
    assert first["Markdown"]["value"] == "41:md"
    assert first["Word (.docx)"]["action_id"] == Action.PULL_DOCX
    assert first["Markdown"]["action_id"] == Action.PULL_MD
    for block in blocks:
        ids = [e["action_id"] for e in block.get("elements", []) if "action_id" in e]
        assert len(ids) == len(set(ids)), block
    assert first["Approve"]["action_id"] == Action.APPROVE_NOTICE
    assert first["Approve"]["value"] == "41"
    assert set(second) == {"Word (.docx)", "Markdown"}
    text = dump(message)
    assert "Breach notice* · English · v2 · *DRAFT*" in text
    assert "中文 · v1 · *APPROVED* by <@U0LEG00001>" in text
    assert "<!channel>" not in text


def test_nobody_sees_approve_without_the_right(make_incident: Callable[..., Incident]) -> None:
    drafts = [Draft(41, "breach_notice", "en", 1, "Breach notice", "draft")]
    message = notices_message(make_incident(8), drafts, can_approve=False)
    assert Action.APPROVE_NOTICE not in dump(message)


def test_no_drafts_yet_is_said_in_words(make_incident: Callable[..., Incident]) -> None:
    assert "No notice is drafted yet." in dump(notices_message(make_incident(8), [], True))


def test_home_puts_waiting_steps_first_then_open_incidents_without_titles(
    make_incident: Callable[..., Incident],
) -> None:
    due = datetime.now(UTC) + timedelta(hours=5)
    incident = ready(make_incident(2, facts=SECRET_FACTS), "confirm", due)
    waiting = [Waiting(incident, incident.playbook.step("confirm"))]
    view = home_view([incident, make_incident(3)], waiting, TZ).to_dict()
    assert view["type"] == "home"
    ids = [b.get("block_id") for b in view["blocks"]]
    assert ids.index("wait:0") < ids.index("open:2") < ids.index("open:3")
    text = json.dumps(view, ensure_ascii=False)
    assert "*LEAK-2* · Confirm the leak · due <!date^" in text
    assert SECRET_FACTS.title not in text and "Bumper drafts on a forum" not in text
    report = view["blocks"][ids.index("report")]["elements"][0]
    assert report["action_id"] == Action.OPEN_REPORT


def test_an_empty_home_says_nothing_waits() -> None:
    text = json.dumps(home_view([], [], TZ).to_dict())
    assert "Nothing waits on you." in text and "No incident is open." in text
