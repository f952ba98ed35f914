"""Evidence over signed HTTP: the modal with files, the message shortcut, who may add and see
it, its hashes in the audit chain, and the dossier in a DM (CONTRACT §5)."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from leakbot.demo.story import COMMS, LEGAL, PROCUREMENT, REPORTER, SECURITY
from leakbot.demo.world import LocalWorld, response_texts
from leakbot.devslack import User
from leakbot.domain.evidence import Source, Status
from leakbot.dossier.verify import verify_dossier
from leakbot.slack.ids import Action, Shortcut, View

if TYPE_CHECKING:
    from conftest import Desk

OUTSIDER = "U0OUT00001"


def png(width: int = 4, height: int = 3) -> bytes:
    """A small, valid PNG: what a screenshot is."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n% forum thread saved as PDF\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[LocalWorld]:
    made = LocalWorld(db_url).start()
    made.standin.add_user(User(OUTSIDER, "out.sider", "Out Sider"))
    try:
        yield made
    finally:
        made.stop()


def report(desk: Desk) -> tuple[int, str, str]:
    number = desk.report()
    channel, ts = desk.world.checklist(number)
    return number, channel, ts


def add_by_modal(desk: Desk, user: str, number: int, answers: dict[str, Any]) -> Any:
    channel, ts = desk.world.checklist(number)
    reply = desk.world.click(
        user, Action.ADD_EVIDENCE.value, str(number), channel=channel, message_ts=ts
    )
    assert reply.status == 200
    view = desk.world.modal_for(user, View.EVIDENCE.value)
    return desk.world.submit(user, view, answers)


def evidence_entries(desk: Desk, number: int) -> list[Any]:
    with desk.world.deps.uow() as uow:
        incident = uow.incidents.get(number)
        return [e for e in uow.audit.entries(incident.id) if e.action == "evidence.added"]


def items(desk: Desk, number: int) -> list[Any]:
    with desk.world.deps.uow() as uow:
        return uow.evidence.of_incident(uow.incidents.get(number).id)


def test_evidence_from_the_modal_and_a_message_is_kept_hashed_and_exported(
    world: LocalWorld,
) -> None:
    from conftest import Desk

    desk = Desk(world)
    standin = world.standin
    number, channel, ts = report(desk)
    screenshot, page = png(), PDF
    shot = standin.user_upload(SECURITY, "forum screenshot.png", screenshot)
    saved = standin.user_upload(SECURITY, "forum-thread.pdf", page)
    seen = int(datetime(2026, 11, 30, 9, 15, tzinfo=UTC).timestamp())

    reply = add_by_modal(
        desk,
        SECURITY,
        number,
        {
            "files": [shot, saved],
            "links": "https://forum.example/t/ms11\nhttps://weibo.example/status/1",
            "seen_at": seen,
            "note": "Both posts show watermark BJM-0147-07.",
        },
    )
    assert reply.status == 200 and reply.body == b"", reply.text
    world.settle()

    # The message shortcut, by legal, on a message with a file in the incident channel.
    attached = standin.user_upload(REPORTER, "reseller-listing.png", png(2, 2))
    message = standin.post_as(REPORTER, channel, "Reseller lists the drafts", [attached["id"]])
    reply = world.slack.message_shortcut(LEGAL, Shortcut.ADD_TO_EVIDENCE.value, channel, message)
    assert reply.status == 200 and reply.elapsed < 3
    world.settle()

    first, second = items(desk, number)
    assert first.ref == "E-1" and first.source is Source.UPLOAD and first.status is Status.KEPT
    assert [(f.name, f.sha256, f.size, f.media_type) for f in first.files] == [
        ("forum screenshot.png", sha(screenshot), len(screenshot), "image/png"),
        ("forum-thread.pdf", sha(page), len(page), "application/pdf"),
    ]
    assert first.links == ("https://forum.example/t/ms11", "https://weibo.example/status/1")
    assert first.seen_at == datetime.fromtimestamp(seen, UTC)
    assert first.added_by == SECURITY

    assert second.source is Source.MESSAGE and second.added_by == LEGAL
    assert second.message is not None and second.message.author == REPORTER
    assert second.message.text == "Reseller lists the drafts"
    assert second.permalink and second.permalink.endswith(message["ts"].replace(".", ""))
    record, listing = second.files
    assert record.name == f"message-{message['ts']}.json"
    with world.deps.uow() as uow:
        kept = json.loads(uow.blobs.get(record.sha256 or "") or b"{}")
    assert kept["text"] == "Reseller lists the drafts" and kept["author"] == REPORTER
    assert kept["permalink"] == second.permalink
    assert listing.sha256 == sha(png(2, 2))

    # Each item is an entry of the audit chain that names every hash.
    entries = evidence_entries(desk, number)
    assert [e.subject for e in entries] == ["E-1", "E-2"]
    assert [f["sha256"] for f in entries[0].after["files"]] == [sha(screenshot), sha(page)]
    assert {f["sha256"] for f in entries[1].after["files"]} == {f.sha256 for f in second.files}
    assert entries[1].after["permalink"] == second.permalink
    with world.deps.uow() as uow:
        assert uow.audit.verify(number) == []

    # Downloads went with the bot token, after files.info, and never before an ack.
    assert {c.args["file"] for c in desk.calls("files.info")} == {
        shot["id"],
        saved["id"],
        attached["id"],
    }
    assert desk.calls("chat.getPermalink", channel=channel, message_ts=message["ts"])

    # The adders were told privately; the checklist shows the count.
    assert any("E-1" in t and sha(screenshot)[:12] in t for t in desk.private_texts(SECURITY))
    assert any("E-2" in t for t in desk.private_texts(LEGAL))
    update = desk.calls("chat.update", channel=channel, ts=ts)[-1]
    assert "Evidence: 2 items recorded" in json.dumps(update.args["blocks"])

    # /leak evidence: legal sees the list; comms does not.
    listed = response_texts(world.slash(LEGAL, f"evidence LEAK-{number}", channel=channel))
    assert "E-1" in listed and "E-2" in listed and "forum screenshot.png" in listed
    refused = response_texts(world.slash(COMMS, f"evidence {number}", channel=channel))
    assert "E-1" not in refused and "legal" in refused

    # /leak dossier: the zip in legal's DM only, intact offline.
    reply = world.slash(LEGAL, "dossier", channel=channel)
    assert reply.status == 200
    world.settle()
    (delivered,) = [f for f in standin.files_for(LEGAL) if f.name.endswith(".zip")]
    assert delivered.content is not None
    zipped = zipfile.ZipFile(io.BytesIO(delivered.content))
    names = set(zipped.namelist())
    assert {
        "manifest.json",
        "SHA256SUMS",
        "audit.jsonl",
        "timeline.md",
        "timeline.docx",
        "README.txt",
    } <= names
    assert zipped.read("evidence/E-1/01-forum_screenshot.png") == screenshot
    manifest = json.loads(zipped.read("manifest.json"))
    assert manifest["incident"]["ref"] == f"LEAK-{number}"
    assert manifest["audit"]["count"] == len(zipped.read("audit.jsonl").splitlines())
    assert not [f for f in standin.files_for(COMMS) if f.name.endswith(".zip")]
    assert not [m for m in standin.messages("C0ANNOUNCE1") if "E-1" in m.text]
    standin.assert_clean()


def test_a_dossier_from_slack_verifies_offline(world: LocalWorld, tmp_path: Path) -> None:
    from conftest import Desk

    desk = Desk(world)
    number, channel, _ = report(desk)
    shot = world.standin.user_upload(SECURITY, "shot.png", png())
    add_by_modal(desk, SECURITY, number, {"files": [shot]})
    world.settle()
    world.slash(REPORTER, f"dossier LEAK-{number}", channel=channel)
    world.settle()
    (delivered,) = [f for f in world.standin.files_for(REPORTER) if f.name.endswith(".zip")]
    path = tmp_path / delivered.name
    path.write_bytes(delivered.content or b"")
    assert verify_dossier(path) == []


@pytest.mark.parametrize("how", ["button", "shortcut", "dossier"])
def test_an_outsider_is_refused_privately_and_nothing_is_recorded(
    world: LocalWorld, how: str
) -> None:
    from conftest import Desk

    desk = Desk(world)
    number, channel, ts = report(desk)
    audit = desk.audit_count(number)
    if how == "button":
        world.click(
            OUTSIDER, Action.ADD_EVIDENCE.value, str(number), channel=channel, message_ts=ts
        )
        expected = "added by the people of its roles"
    elif how == "shortcut":
        message = world.standin.post_as(REPORTER, channel, "a post")
        world.slack.message_shortcut(OUTSIDER, Shortcut.ADD_TO_EVIDENCE.value, channel, message)
        expected = "added by the people of its roles"
    else:
        world.slash(PROCUREMENT, f"dossier {number}", channel=channel)
        expected = "for the `legal` and `security` roles"
    who = PROCUREMENT if how == "dossier" else OUTSIDER
    told = desk.told(who, 0)
    world.settle()
    assert told.startswith(":no_entry:") and expected in told
    assert items(desk, number) == []
    assert desk.audit_count(number) == audit
    assert not world.standin.views_for(who, View.EVIDENCE.value)
    assert not [f for f in world.standin.files_for(who) if f.name.endswith(".zip")]


def test_a_message_outside_an_incident_channel_is_refused(world: LocalWorld) -> None:
    from conftest import Desk

    desk = Desk(world)
    desk.report()
    general = world.standin.add_channel("general", members=[SECURITY])
    message = world.standin.post_as(SECURITY, general.id, "not an incident")
    world.slack.message_shortcut(SECURITY, Shortcut.ADD_TO_EVIDENCE.value, general.id, message)
    assert "incident's channel" in desk.told(SECURITY, 0)
    assert not world.standin.calls_to("files.info")


def test_a_modal_without_file_or_address_is_answered_in_the_modal(world: LocalWorld) -> None:
    from conftest import Desk

    desk = Desk(world)
    number, _, _ = report(desk)
    reply = add_by_modal(desk, SECURITY, number, {"links": "not a link"})
    assert reply.json()["response_action"] == "errors"
    assert "web address" in reply.json()["errors"]["links"]
    reply = add_by_modal(desk, SECURITY, number, {})
    assert reply.json()["errors"] == {"files": "Add a file or a web address."}
    assert items(desk, number) == []


def test_a_login_page_instead_of_the_file_is_never_kept(world: LocalWorld) -> None:
    """Slack answers a download it will not allow with its sign-in page and status 200."""
    from conftest import Desk

    desk = Desk(world)
    number, _, _ = report(desk)
    shot = world.standin.user_upload(SECURITY, "shot.png", png())
    world.standin.signed_out_downloads = True
    add_by_modal(desk, SECURITY, number, {"files": [shot]})
    world.settle()
    (item,) = items(desk, number)
    assert item.status is Status.PENDING and item.files[0].sha256 is None
    assert evidence_entries(desk, number) == []
    with world.deps.uow() as uow:
        incident = uow.incidents.get(number)
        assert uow.outbox.pending_count() == 0
    told = desk.wait_for(
        lambda: [m.text for m in world.standin.dms(incident.commander) if "web page" in m.text],
        what="the commander told",
    )
    assert "files:read" in told[0]


def test_a_file_over_the_limit_is_refused_with_a_clear_message(db_url: str) -> None:
    from conftest import Desk

    with LocalWorld(db_url, env={"LEAKBOT_EVIDENCE_MAX_MB": "0.001"}) as world:
        desk = Desk(world)
        number, _, _ = report(desk)
        small = world.standin.user_upload(SECURITY, "small.png", png())
        large = world.standin.user_upload(SECURITY, "large.bin", b"x" * 5000)
        add_by_modal(desk, SECURITY, number, {"files": [small, large]})
        world.settle()
        (item,) = items(desk, number)
        kept, refused = item.files
        assert kept.sha256 == sha(png()) and refused.sha256 is None
        assert refused.refused == "larger than the 1 KB limit"
        (entry,) = evidence_entries(desk, number)
        assert entry.after["files"][1]["refused"] == "larger than the 1 KB limit"
        told = desk.wait_for(
            lambda: [t for t in desk.private_texts(SECURITY) if "large.bin" in t], what="told"
        )
        assert "was not kept: larger than the 1 KB limit" in told[0]
        with world.deps.uow() as uow:
            assert uow.blobs.get(sha(b"x" * 5000)) is None


def test_recording_the_same_message_twice_keeps_one_item(world: LocalWorld) -> None:
    from conftest import Desk

    desk = Desk(world)
    number, channel, _ = report(desk)
    message = world.standin.post_as(REPORTER, channel, "seen on a forum")
    for user in (LEGAL, SECURITY):
        world.slack.message_shortcut(user, Shortcut.ADD_TO_EVIDENCE.value, channel, message)
        world.settle()
    (item,) = items(desk, number)
    assert item.ref == "E-1" and len(evidence_entries(desk, number)) == 1


def test_the_breach_notice_cites_the_evidence_and_follows_new_evidence(
    world: LocalWorld,
) -> None:
    from conftest import Desk

    desk = Desk(world)
    number, _, _ = report(desk)
    shot = world.standin.user_upload(SECURITY, "forum-post.png", png())
    add_by_modal(desk, SECURITY, number, {"files": [shot], "links": "https://forum.example/t/9"})
    world.settle()
    desk.confirm(number)

    def breach(locale: str) -> Any:
        with world.deps.uow() as uow:
            incident = uow.incidents.get(number)
            return next(
                d
                for d in uow.notices.latest(incident.id)
                if d.kind == "breach_notice" and d.locale == locale
            )

    first = breach("en")
    assert "E-1: 1 file (forum-post.png), at https://forum.example/t/9" in first.body
    assert sha(png()) in first.body
    assert "forum-post.png" in breach("zh").body and "我司掌握的证据" in breach("zh").body

    later = world.standin.user_upload(SECURITY, "mirror.png", png(3, 3))
    add_by_modal(desk, SECURITY, number, {"files": [later]})
    world.settle()
    second = breach("en")
    assert second.version == first.version + 1
    assert "E-2: 1 file (mirror.png)" in second.body and sha(png(3, 3)) in second.body


def test_an_out_of_date_evidence_form_is_told_and_records_nothing(world: LocalWorld) -> None:
    from conftest import Desk

    desk = Desk(world)
    number, _, _ = report(desk)
    reply = world.slack.view_submission(
        SECURITY, View.EVIDENCE.value, {}, private_metadata="not json"
    )
    assert reply.status == 200 and reply.body == b""
    told = desk.wait_for(
        lambda: [m.text for m in world.standin.dms(SECURITY) if "out of date" in m.text],
        what="a refusal in the person's DM",
    )
    assert told[0].startswith(":no_entry:")
    assert items(desk, number) == []


def test_a_dossier_is_not_sent_when_a_kept_file_was_altered(world: LocalWorld) -> None:
    from conftest import Desk
    from sqlalchemy import text

    desk = Desk(world)
    number, channel, _ = report(desk)
    shot = world.standin.user_upload(SECURITY, "shot.png", png())
    add_by_modal(desk, SECURITY, number, {"files": [shot]})
    world.settle()
    with world.engine.begin() as conn:
        conn.execute(
            text("UPDATE evidence_blobs SET content = :c WHERE sha256 = :h"),
            {"c": b"not the screenshot", "h": sha(png())},
        )
    world.slash(LEGAL, f"dossier {number}", channel=channel)
    world.settle()
    assert not [f for f in world.standin.files_for(LEGAL) if f.name.endswith(".zip")]
    commander = desk.incident(number).commander
    told = desk.wait_for(
        lambda: [m.text for m in world.standin.dms(commander) if "dossier was not made" in m.text],
        what="the commander told",
    )
    assert f"leakbot audit verify {number}" in told[0] and "shot.png" not in told[0]
