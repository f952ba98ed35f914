"""Replays: the same signed request sent again within the 5-minute window (same bytes, same
timestamp and signature), and Slack's own retry (``X-Slack-Retry-Num``), are acknowledged and
change nothing — for a click, a modal submission, a slash command, a notice pull and evidence
added by its form or the message shortcut."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leakbot.demo.story import LEGAL, REPORTER, SECURITY
from leakbot.slack.ids import Action, Shortcut, View

RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def replay_twice(desk: Any) -> None:
    """The last request again, byte for byte, then once more as Slack's retry."""
    for headers in ({}, RETRY):
        reply = desk.world.slack.resend(headers)
        assert reply.status == 200, reply.text
    desk.world.settle()


def audit_actions(desk: Any, number: int) -> list[str]:
    with desk.world.deps.read() as uow:
        return [e.action for e in uow.audit.entries(uow.incidents.get(number).id)]


def test_a_replayed_click_opens_no_second_modal(make_desk: Callable[..., Any]) -> None:
    desk = make_desk()
    number = desk.report()
    desk.click(SECURITY, Action.COMPLETE_STEP, number, "confirm")
    desk.world.modal_for(SECURITY, View.STEP_INPUTS.value)
    desk.world.settle()
    opened = len(desk.calls("views.open"))

    replay_twice(desk)

    assert len(desk.calls("views.open")) == opened
    assert desk.standin.violations == []


def test_a_replayed_modal_submission_completes_the_step_once(
    make_desk: Callable[..., Any],
) -> None:
    desk = make_desk()
    number = desk.report()
    desk.complete(SECURITY, number, "confirm", {"verdict": "confirmed"})
    notes = desk.thread(number)

    replay_twice(desk)

    assert audit_actions(desk, number).count("step.completed") == 1
    assert desk.thread(number) == notes
    assert desk.standin.violations == []


def test_a_replayed_report_submission_records_one_incident(
    make_desk: Callable[..., Any],
) -> None:
    desk = make_desk()
    desk.report()
    channels = len(desk.calls("conversations.create"))

    replay_twice(desk)

    assert desk.incident_count() == 1
    assert len(desk.calls("conversations.create")) == channels


def test_a_replayed_slash_command_hands_over_once(make_desk: Callable[..., Any]) -> None:
    desk = make_desk()
    number = desk.report()
    commander = desk.incident(number).commander
    reply = desk.world.slash(commander, f"commander <@{LEGAL}> LEAK-{number}")
    assert reply.status == 200
    desk.world.settle()
    told = len(desk.private_texts(commander))

    replay_twice(desk)

    assert audit_actions(desk, number).count("commander.changed") == 1
    assert desk.incident(number).commander == LEGAL
    assert len([t for t in desk.thread(number) if LEGAL in t]) == 1
    assert len(desk.private_texts(commander)) == told  # no second "now commands"


def test_a_replayed_notice_pull_delivers_one_file(make_desk: Callable[..., Any]) -> None:
    desk = make_desk()
    number = desk.report()
    desk.confirm(number)
    with desk.world.deps.read() as uow:
        draft = uow.notices.latest(uow.incidents.get(number).id)[0]
    channel, ts = desk.world.checklist(number)
    reply = desk.world.click(
        LEGAL, Action.PULL_DOCX.value, f"{draft.id}:docx", channel=channel, message_ts=ts
    )
    assert reply.status == 200
    desk.world.settle()
    uploads = len(desk.calls("files.completeUploadExternal"))
    assert uploads == 1

    replay_twice(desk)

    assert len(desk.calls("files.completeUploadExternal")) == uploads
    assert audit_actions(desk, number).count("notice.pulled") == 1
    assert REPORTER not in {
        c.args.get("channel_id") for c in desk.calls("files.completeUploadExternal")
    }


def evidence_items(desk: Any, number: int) -> list[Any]:
    with desk.world.deps.read() as uow:
        return uow.evidence.of_incident(uow.incidents.get(number).id)


def test_a_replayed_evidence_form_adds_one_item(make_desk: Callable[..., Any]) -> None:
    desk = make_desk()
    number = desk.report()
    channel, ts = desk.world.checklist(number)
    reply = desk.world.click(
        SECURITY, Action.ADD_EVIDENCE.value, str(number), channel=channel, message_ts=ts
    )
    assert reply.status == 200
    view = desk.world.modal_for(SECURITY, View.EVIDENCE.value)
    reply = desk.world.submit(SECURITY, view, {"links": "https://forum.example/t/ms11"})
    assert reply.status == 200, reply.text
    desk.world.settle()
    assert len(evidence_items(desk, number)) == 1

    replay_twice(desk)

    assert [i.ref for i in evidence_items(desk, number)] == ["E-1"]
    assert audit_actions(desk, number).count("evidence.added") == 1


def test_a_replayed_message_shortcut_records_the_message_once(
    make_desk: Callable[..., Any],
) -> None:
    desk = make_desk()
    number = desk.report()
    channel, _ = desk.world.checklist(number)
    message = desk.world.standin.post_as(REPORTER, channel, "Reseller lists the drafts", [])
    reply = desk.world.slack.message_shortcut(
        LEGAL, Shortcut.ADD_TO_EVIDENCE.value, channel, message
    )
    assert reply.status == 200
    desk.world.settle()
    told = len(desk.private_texts(LEGAL))

    replay_twice(desk)

    assert len(evidence_items(desk, number)) == 1
    assert audit_actions(desk, number).count("evidence.added") == 1
    assert len(desk.private_texts(LEGAL)) == told
