"""Owed reminders, posted by a real WebClient to the local stand-in of Slack's Web API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from leakbot.devslack import SlackStandIn
from leakbot.domain.report import ReportForm
from leakbot.services.outbox import Retry
from leakbot.services.reminder_sweep import sweep
from leakbot.services.reporting import report_incident
from leakbot.services.steps import complete_step
from leakbot.slack.perform.reminding import perform_reminder

SEC, LEG, PRO, COM = "U0SEC00001", "U0LEG00001", "U0PRO00001", "U0COM00001"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(users=[SEC, LEG, PRO, COM], usergroups={"S0LEGAL001": [LEG]}) as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.api_url, token=standin.token, timeout=5)


def opened(deps: Any, client: WebClient, standin: SlackStandIn) -> tuple[Any, str, str]:
    """An incident whose channel and checklist exist, as the opener leaves them."""
    form = ReportForm(title="Bumper drafts on a forum", supplier="bjmold")
    incident = report_incident(deps, form, SEC).incident
    channel = standin.add_channel("leak-1-bumper", is_private=True, members=[SEC]).id
    checklist = client.chat_postMessage(channel=channel, text="checklist")["ts"]
    with deps.uow() as uow:
        uow.incidents.set_links(incident.id, channel_id=channel, checklist_ts=checklist)
        uow.commit()
    return incident, channel, str(checklist)


def owed_payloads(deps: Any) -> list[dict[str, Any]]:
    with deps.uow() as uow:
        items = uow.outbox.claim(deps.clock.now() + timedelta(days=400), 100, 60)
        uow.commit()
    return [i.payload for i in items if i.kind == "reminder.post"]


def posts(standin: SlackStandIn) -> list[dict[str, Any]]:
    return [
        c.args for c in standin.calls_to("chat.postMessage") if c.args.get("text") != "checklist"
    ]


def test_an_escalation_is_broadcast_from_the_checklist_thread_and_sent_to_the_commander(
    deps: Any, clock: Any, client: WebClient, standin: SlackStandIn
) -> None:
    incident, channel, checklist = opened(deps, client, standin)
    clock.advance(hours=8)
    sweep(deps)
    escalation = next(p for p in owed_payloads(deps) if p["kind"] == "escalate")

    result = perform_reminder(client, deps, escalation)

    in_channel = [p for p in posts(standin) if p["channel"] == channel]
    assert len(in_channel) == 1
    assert in_channel[0]["thread_ts"] == checklist
    assert in_channel[0]["reply_broadcast"] in (True, "true", "1", 1)
    assert f"<@{SEC}>" in in_channel[0]["text"]
    assert [m.text for m in standin.dms(SEC)] and "Escalation" in standin.dms(SEC)[0].text
    assert set(result) == {"ts", "dm"}
    standin.assert_clean()


def test_a_reminder_mentions_the_owner_role_s_people_and_user_groups(
    deps: Any, clock: Any, client: WebClient, standin: SlackStandIn
) -> None:
    incident, channel, checklist = opened(deps, client, standin)
    complete_step(deps, incident.number, "confirm", SEC, {"verdict": "confirmed"})
    clock.advance(days=3, hours=1)  # notify_supplier (legal) was due after 1 day
    sweep(deps)
    reminder = next(
        p
        for p in owed_payloads(deps)
        if p["kind"] == "remind" and p["step_id"] == "notify_supplier"
    )

    perform_reminder(client, deps, reminder)

    post = posts(standin)[-1]
    assert post["channel"] == channel and post["thread_ts"] == checklist
    assert not post.get("reply_broadcast")
    assert f"<@{LEG}>" in post["text"] and "<!subteam^S0LEGAL001>" in post["text"]
    assert "Bumper" not in post["text"]  # the notification line carries no title
    assert standin.dms(SEC) == []


def test_an_idle_nudge_goes_to_the_commander_alone(
    deps: Any, clock: Any, client: WebClient, standin: SlackStandIn
) -> None:
    incident, channel, _ = opened(deps, client, standin)
    clock.advance(days=3)
    sweep(deps)
    nudge = next(p for p in owed_payloads(deps) if p["kind"] == "idle")

    perform_reminder(client, deps, nudge)

    assert [m.text for m in standin.messages(channel)] == ["checklist"]
    dm = standin.dms(SEC)
    assert len(dm) == 1 and incident.ref in dm[0].text
    assert f"<#{channel}>" in str(dm[0].blocks)


def test_a_reminder_waits_while_the_incident_has_no_channel(deps: Any, clock: Any) -> None:
    form = ReportForm(title="Bumper drafts on a forum", supplier="bjmold")
    report_incident(deps, form, SEC)
    clock.advance(hours=4)
    sweep(deps)
    payload = owed_payloads(deps)[0]

    with pytest.raises(Retry):
        perform_reminder(WebClient(base_url="http://127.0.0.1:9/api/"), deps, payload)


def test_a_reminder_for_a_step_done_since_is_dropped(
    deps: Any, clock: Any, client: WebClient, standin: SlackStandIn
) -> None:
    incident, _, _ = opened(deps, client, standin)
    clock.advance(hours=4)
    sweep(deps)
    overdue = owed_payloads(deps)[0]
    complete_step(deps, incident.number, "confirm", SEC, {"verdict": "confirmed"})

    result = perform_reminder(client, deps, overdue)

    assert "skipped" in result
    assert posts(standin) == []
