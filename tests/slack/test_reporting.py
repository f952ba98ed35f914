"""Reporting a leak through the modal: bad input stays in the modal, repeats do nothing twice,
and what Slack makes hard (taken names, groups, gone people) still ends in an open incident."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from leakbot.demo.story import LEGAL, REPORTER
from leakbot.devslack import User
from leakbot.loading.paths import bundled_example_config
from leakbot.slack.ids import View
from leakbot.slack.text import channel_name

if TYPE_CHECKING:
    from conftest import Desk

LEGAL_BY_GROUP = "U0LEG00002"
TRICKY_TITLE = "Drafts <!channel> <@U0SEC00001> & <b>"
ESCAPED_TITLE = "Drafts &lt;!channel&gt; &lt;@U0SEC00001&gt; &amp; &lt;b&gt;"


def _slack_work(desk: Desk) -> list[str]:
    """Web API calls that change something (reads and modals aside)."""
    quiet = {"views.open", "auth.test", "usergroups.users.list", "views.update"}
    return [c.method for c in desk.standin.calls if c.method not in quiet]


@pytest.mark.parametrize(
    ("field", "value", "block"),
    [
        ("where_seen", "forum dot example slash t slash 1", "where_seen"),
        ("where_seen", "ftp://forum.example/t/1", "where_seen"),
        ("title", "", "title"),
        ("title", "   ", "title"),
    ],
    ids=["not a URL", "not a web URL", "empty title", "blank title"],
)
def test_a_bad_field_comes_back_as_a_modal_error_on_its_block_and_records_nothing(
    desk: Desk, field: str, value: str, block: str
) -> None:
    incidents, work = desk.incident_count(), len(_slack_work(desk))
    reply = desk.submit_report(**{field: value})
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    desk.world.settle()
    assert desk.incident_count() == incidents
    assert len(_slack_work(desk)) == work


def test_the_same_report_submitted_twice_makes_one_incident_and_one_channel(desk: Desk) -> None:
    view = desk.open_report()
    first = desk.world.slack.view_submission(
        REPORTER,
        View.REPORT.value,
        _values(desk, view),
        view_id=view["id"],
        hash=view["hash"],
        view=view,
    )
    number = desk.newest().number
    again = desk.world.slack.view_submission(
        REPORTER,
        View.REPORT.value,
        _values(desk, view),
        view_id=view["id"],
        hash=view["hash"],
        view=view,
    )
    desk.world.settle()
    assert first.status == again.status == 200
    assert f"LEAK-{number}" in json.dumps(again.json())
    assert desk.incident_count() == number
    created = [
        c
        for c in desk.calls("conversations.create")
        if c.args["name"].startswith(f"leak-{number}-")
    ]
    assert len(created) == 1


def _values(desk: Desk, view: dict) -> dict:
    from leakbot.demo.world import fill

    return fill(view, desk.REPORT)


def test_five_simultaneous_submissions_of_one_report_make_one_incident_and_one_channel(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()
    view = desk.open_report()
    values = _values(desk, view)

    def send(_: int) -> int:
        reply = desk.world.slack.view_submission(
            REPORTER, View.REPORT.value, values, view_id=view["id"], hash=view["hash"], view=view
        )
        return reply.status

    with ThreadPoolExecutor(5) as pool:
        statuses = list(pool.map(send, range(5)))
    desk.world.settle()
    assert statuses == [200] * 5
    assert desk.incident_count() == 1
    assert len(desk.calls("conversations.create")) == 1
    channel, _ = desk.world.checklist(1)
    assert desk.standin.workspace.channels[channel].name.startswith("leak-1-")
    checklists = [
        c for c in desk.calls("chat.postMessage", channel=channel) if "thread_ts" not in c.args
    ]
    assert len(checklists) == 2  # the facts, then the checklist


def test_a_retried_event_has_no_second_effect(desk: Desk) -> None:
    event = {"type": "app_home_opened", "user": LEGAL, "tab": "home", "channel": "D0HOME0001"}
    before = len(desk.calls("views.publish", user_id=LEGAL))
    first = desk.world.slack.event(event, event_id="Ev0RETRY001")
    desk.wait_for(lambda: len(desk.calls("views.publish", user_id=LEGAL)) > before)
    again = desk.world.slack.event(
        event, event_id="Ev0RETRY001", retry_num=1, retry_reason="http_timeout"
    )
    desk.world.settle()
    assert first.status == again.status == 200
    time.sleep(0.3)  # what a second delivery would publish, it would have by now
    assert len(desk.calls("views.publish", user_id=LEGAL)) == before + 1


def test_a_taken_channel_name_gives_another_name(desk: Desk) -> None:
    number = desk.incident_count() + 1
    title = "Tooling data for the K9 grille"
    taken = channel_name(number, title)
    desk.standin.add_channel(taken, is_private=True)
    assert desk.report(title=title) == number
    channel_id, _ = desk.world.checklist(number)
    channel = desk.standin.workspace.channels[channel_id]
    assert channel.name != taken
    assert channel.name.startswith(f"leak-{number}-")
    assert channel.is_private
    assert REPORTER in channel.members
    assert [c.error for c in desk.calls("conversations.create", name=taken)] == ["name_taken"]


def test_a_title_with_mentions_and_markup_is_shown_escaped_and_pings_nobody(desk: Desk) -> None:
    number = desk.report(title=TRICKY_TITLE)
    channel, ts = desk.world.checklist(number)
    status = desk.world.slash(REPORTER, f"status {number}")
    shown = [json.dumps(status.json(), ensure_ascii=False)]
    for call in desk.standin.calls:
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            shown.append(json.dumps(call.args, ensure_ascii=False))
    for message in desk.standin.messages(channel):
        shown.append(message.text + json.dumps(message.blocks, ensure_ascii=False))
    everything = "\n".join(shown)
    assert "<!channel>" not in everything
    assert "<@U0SEC00001> &" not in everything
    assert "<b>" not in everything
    assert "&amp;lt;" not in everything  # escaped once, not twice
    kickoff = desk.standin.messages(channel)[0]
    assert ESCAPED_TITLE in json.dumps(kickoff.blocks, ensure_ascii=False)
    checklist = desk.standin.workspace.channels[channel].message(ts)
    assert checklist is not None
    assert ESCAPED_TITLE in json.dumps(checklist.blocks, ensure_ascii=False)
    assert ESCAPED_TITLE in status.text
    name = desk.standin.workspace.channels[channel].name
    assert name.startswith(f"leak-{number}-drafts-channel-u0sec00001-b")


def test_a_user_group_in_a_role_is_expanded_and_its_members_invited(desk: Desk) -> None:
    number = desk.report()
    channel, _ = desk.world.checklist(number)
    members = desk.standin.workspace.channels[channel].members
    assert LEGAL in members and LEGAL_BY_GROUP in members
    assert "S0LEGAL001" not in members
    assert desk.calls("usergroups.users.list", usergroup="S0LEGAL001")
    invited = ",".join(c.args["users"] for c in desk.calls("conversations.invite", channel=channel))
    assert LEGAL_BY_GROUP in invited


def test_a_gone_or_unknown_person_in_the_config_does_not_stop_the_incident(
    make_desk: Callable[..., Desk], tmp_path: Path
) -> None:
    config = bundled_example_config().read_text(encoding="utf-8")
    config = config.replace("security: [U0SEC00001]", "security: [U0SEC00001, U0OLD00001]").replace(
        "comms: [U0COM00001]", "comms: [U0COM00001, U0NOBODY01]"
    )
    path = tmp_path / "leakbot.yaml"
    path.write_text(config, encoding="utf-8")
    desk = make_desk(config_path=path)
    desk.standin.add_user(User("U0OLD00001", "old.hand", "Old Hand", deleted=True))
    number = desk.report()
    channel, ts = desk.world.checklist(number)
    members = desk.standin.workspace.channels[channel].members
    assert {REPORTER, "U0SEC00001", LEGAL, "U0COM00001"} <= set(members)
    assert "U0OLD00001" not in members and "U0NOBODY01" not in members
    assert desk.standin.workspace.channels[channel].message(ts) is not None
    told = desk.wait_for(
        lambda: [
            t
            for t in desk.private_texts(REPORTER) + [m.text for m in desk.standin.dms(REPORTER)]
            if f"LEAK-{number}" in t and "invited" in t
        ],
        what="the commander told who could not be invited",
    )
    assert "U0OLD00001" in told[0] and "U0NOBODY01" in told[0]
