"""The seed story end to end: a molding supplier leaks bumper drafts, and leakbot runs the
response from report to close — with the stand-in of Slack checking every Web API call — on
each database, over each transport (signed HTTP requests to the real server, and Socket Mode
envelopes to Bolt's Socket Mode adapter, whose connection Slack refreshes in the middle of the
story), and as ``leakbot demo`` does it."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from running import leakbot

from leakbot.demo.story import COMMS, LEGAL, PROCUREMENT, REPORTER, SECURITY, Story, StoryResult
from leakbot.demo.world import LocalWorld

LEGAL_BY_GROUP = "U0LEG00002"  # legal through the S0LEGAL001 user group
#: What the announce channel must never carry: title, supplier, asset and addresses.
CONFIDENTIAL = ("MS11", "bumper", "Beijing", "bjmold", "Molding", "weibo", "forum", "http")


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


TRANSPORTS = ("http", "socket")
#: Over Socket Mode, Slack asks for a new connection before this scene (the story's third:
#: after the report and the refused outsider, before security confirms).
REFRESH_BEFORE_SCENE = 3


@dataclass
class Told:
    """The story as it ended. The world is stopped (its database may be gone); its stand-in
    still holds everything Slack received."""

    world: LocalWorld
    result: StoryResult
    checklist: tuple[str, str]
    status: str
    audit_problems: list[str]


#: One story per backend and transport, shared by the tests below: each reads a part of it.
_TOLD: dict[tuple[str, str], Told] = {}


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def told(db_url: str, transport: str) -> Told:
    key = (db_url.split(":", 1)[0], transport)
    if key not in _TOLD:
        with LocalWorld(db_url, transport=transport) as world:  # type: ignore[arg-type]

            def refresh(scene: int) -> None:
                if transport == "socket" and scene == REFRESH_BEFORE_SCENE:
                    world.standin.socket_mode.disconnect("refresh_requested")

            result = Story(world, io.StringIO(), before_scene=refresh).run()
            world.settle()
            with world.deps.uow() as uow:
                status = uow.incidents.get(result.number).status.value
                problems = uow.audit.verify(result.number)
            _TOLD[key] = Told(world, result, world.checklist(result.number), status, problems)
    return _TOLD[key]


def test_the_story_ends_with_the_incident_closed_and_the_record_intact(
    told: Told,
) -> None:
    world, result = told.world, told.result
    assert result.final_status == "closed"
    assert result.audit_problems == []
    assert result.violations == []
    assert result.blockkit_violations == []
    world.standin.assert_clean()
    assert told.status == "closed"
    assert told.audit_problems == []


def test_the_story_opens_one_private_channel_with_everyone_invited(
    told: Told,
) -> None:
    world, result = told.world, told.result
    channel = world.standin.workspace.channels[result.channel]
    assert channel.name.startswith(f"leak-{result.number}-")
    assert channel.name == channel.name.lower() and len(channel.name) <= 80
    assert channel.is_private
    people = {REPORTER, SECURITY, LEGAL, LEGAL_BY_GROUP, PROCUREMENT, COMMS}
    assert people <= set(channel.members)
    assert world.standin.calls_to("usergroups.users.list")
    assert len([c for c in world.standin.calls_to("conversations.create") if c.ok]) == 1


def test_the_checklist_is_posted_once_pinned_and_updated_in_place(
    told: Told,
) -> None:
    world = told.world
    channel_id, ts = told.checklist
    posts = [
        c
        for c in world.standin.calls_to("chat.postMessage")
        if c.args.get("channel") == channel_id and not c.args.get("thread_ts")
    ]
    checklists = [c for c in posts if "checklist" in str(c.args.get("text"))]
    assert len(checklists) == 1
    assert checklists[0].response["ts"] == ts
    updates = [
        c
        for c in world.standin.calls_to("chat.update")
        if c.args.get("channel") == channel_id and c.args.get("ts") == ts
    ]
    assert len(updates) >= 8 and all(c.ok for c in updates)
    channel = world.standin.workspace.channels[channel_id]
    assert channel.pins == [ts]
    message = channel.message(ts)
    assert message is not None and message.edits == len(updates)
    assert "closed" in message.text.lower() or "finished" in message.text.lower()
    notes = [m for m in channel.messages if m.thread_ts == ts]
    assert len(notes) >= 8


def test_the_announcement_is_one_line_with_nothing_confidential(
    told: Told,
) -> None:
    world, result = told.world, told.result
    (line,) = world.standin.messages("C0ANNOUNCE1")
    shown = line.text + repr(line.blocks)
    assert f"LEAK-{result.number}" in shown
    for word in CONFIDENTIAL:
        assert word.lower() not in shown.lower(), word


def test_the_notices_reach_only_legal_as_word_files(
    told: Told,
) -> None:
    world, result = told.world, told.result
    files = world.standin.files_for(LEGAL)
    names = sorted(f.name for f in files)
    assert names == [
        f"LEAK-{result.number}-breach_notice-en-v1.docx",
        f"LEAK-{result.number}-penalty_demand-zh-v1.docx",
    ]
    dm = world.standin.workspace.existing_dm(LEGAL)
    assert dm is not None
    for stored in world.standin.workspace.files.values():
        if stored.user == world.standin.bot_user_id:  # people's uploads are evidence, not ours
            assert stored.channels == [dm.id], stored.name
    for other in (REPORTER, SECURITY, PROCUREMENT, COMMS, LEGAL_BY_GROUP):
        assert world.standin.files_for(other) == []
    by_name = {f.name: f for f in files}
    zh = by_name[f"LEAK-{result.number}-penalty_demand-zh-v1.docx"]
    assert zh.content is not None
    text = _docx_text(zh.content)
    assert "NDA-2023-0147" in text
    assert "人民币壹佰万元整" in text
    en = by_name[f"LEAK-{result.number}-breach_notice-en-v1.docx"]
    assert en.content is not None
    assert "NDA-2023-0147" in _docx_text(en.content)


@pytest.mark.parametrize("transport", ["socket"])
def test_over_socket_mode_every_envelope_is_acknowledged_once_across_the_refresh(
    told: Told,
) -> None:
    endpoint = told.world.standin.socket_mode
    links = endpoint.links
    assert len(links) == 2, "the app opened a new connection when Slack asked"
    assert len([c for c in told.world.standin.calls_to("apps.connections.open") if c.ok]) == 2
    envelopes = endpoint.envelopes
    assert {e.link for e in envelopes} == {1, 2}, "the story went on over the new connection"
    assert all(len(e.acks) == 1 for e in envelopes), "each envelope acknowledged exactly once"
    kinds = {e.type for e in envelopes}
    assert kinds == {"slash_commands", "interactive"}
    submissions = [e for e in envelopes if e.payload.get("type") == "view_submission"]
    report = next(e for e in submissions if e.payload["view"]["callback_id"] == "leak_report")
    assert report.ack is not None and report.ack.payload is not None
    assert report.ack.payload["response_action"] == "update"
    listings = {
        e.payload["user_id"]: e.ack.payload if e.ack else None
        for e in envelopes
        if e.type == "slash_commands" and e.payload["text"].startswith("notices")
    }
    assert set(listings) == {LEGAL, COMMS}
    assert listings[LEGAL] and listings[LEGAL]["blocks"], "legal sees the drafts in the ack"
    # comms may pull the partner advisory (its template names comms), and nothing else
    comms = json.dumps(listings[COMMS], ensure_ascii=False)
    assert "Partner advisory" in comms, "comms sees the advisory it may pull"
    assert "Penalty" not in comms and "Breach" not in comms, "and no other notice"


def test_leakbot_demo_runs_the_story_and_writes_the_notices(tmp_path: Path) -> None:
    out = tmp_path / "notices"
    done = leakbot("demo", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "LEAK-1 is closed; audit log: intact" in done.stdout
    assert "checked against Slack's method reference: 0 violation(s)" in done.stdout
    assert "acknowledgement checked against Block Kit's rules: 0 violation(s)" in done.stdout
    assert "sent to Chen Jie's direct messages only: LEAK-1-penalty_demand-zh-v1.docx" in (
        done.stdout
    )
    written = {p.name for p in out.iterdir()}
    (dossier,) = [name for name in written if name.endswith(".zip")]
    assert f"the dossier: {out / dossier} (verified)" in done.stdout
    assert "evidence E-1 is recorded in the audit log" in done.stdout
    assert "evidence E-2 is recorded" in done.stdout
    assert "LEAK-1-penalty_demand-zh-v1.docx" in written
    assert "LEAK-1-breach_notice-en-v1.md" in written
    zh = _docx_text((out / "LEAK-1-penalty_demand-zh-v1.docx").read_bytes())
    assert "NDA-2023-0147" in zh and "人民币壹佰万元整" in zh
    assert not list(tmp_path.glob("*.db")), "the demo's database belongs in its own folder"
