"""The evidence modal, list and messages: built, filled in as Slack would, read back."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from leakbot.domain.errors import Refused
from leakbot.domain.evidence import EvidenceFile, EvidenceItem, RecordedMessage, Source, Status
from leakbot.domain.incident import Incident
from leakbot.slack.blocks.checklist_message import checklist_message
from leakbot.slack.blocks.evidence_views import evidence_list, evidence_modal, kept_text
from leakbot.slack.ids import Action, EvidenceField, View
from leakbot.slack.payloads import evidence_errors, evidence_form, shortcut_message

TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
EVIL = "<!channel> & <@UEVIL0001>"


def test_the_modal_uses_slack_file_input_within_its_rules(
    make_incident: Callable[..., Incident],
) -> None:
    view = evidence_modal(make_incident(number=7), 25).to_dict()
    assert view["type"] == "modal" and view["callback_id"] == View.EVIDENCE
    assert json.loads(view["private_metadata"]) == {"number": 7}
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    files = inputs[EvidenceField.FILES]["element"]
    assert files == {"type": "file_input", "action_id": "files", "max_files": 10}
    assert inputs[EvidenceField.SEEN_AT]["element"]["type"] == "datetimepicker"
    assert all(b["optional"] for b in inputs.values())


def test_a_submission_reads_back_files_time_links_and_note() -> None:
    seen = int(AT.timestamp())
    view = {
        "private_metadata": json.dumps({"number": 3}),
        "state": {
            "values": {
                "files": {
                    "files": {
                        "type": "file_input",
                        "files": [
                            {"id": "F1", "name": "a.png", "mimetype": "image/png"},
                            {"id": "F2", "name": "b.pdf"},
                            {"name": "no id"},
                        ],
                    }
                },
                "links": {"links": {"type": "plain_text_input", "value": "https://x.example"}},
                "seen_at": {"seen_at": {"type": "datetimepicker", "selected_date_time": seen}},
                "note": {"note": {"type": "plain_text_input", "value": None}},
            }
        },
    }
    number, form = evidence_form(view)
    assert number == 3
    assert form.files == (EvidenceFile("F1", "a.png"), EvidenceFile("F2", "b.pdf"))
    assert form.links_text == "https://x.example" and form.note == ""
    assert form.seen_at == AT
    assert evidence_errors({"links": "bad", "other": "x"}) == {"links": "bad", "files": "x"}


def test_an_out_of_date_form_or_message_is_refused() -> None:
    with pytest.raises(Refused):
        evidence_form({"private_metadata": "{}", "state": {"values": {}}})
    with pytest.raises(Refused):
        shortcut_message({"channel": {"id": "C1"}, "message": {"text": "no ts"}})


def test_a_shortcut_payload_reads_author_text_and_files() -> None:
    channel, message, files = shortcut_message(
        {
            "channel": {"id": "C1"},
            "message": {"ts": "1.2", "user": "U1", "text": "hi", "files": [{"id": "F9"}]},
        }
    )
    assert channel == "C1" and message == RecordedMessage("C1", "1.2", "U1", "hi")
    assert files == (EvidenceFile("F9", "F9"),)


def _item(**kw: object) -> EvidenceItem:
    base = {
        "incident_id": 1,
        "number": 2,
        "source": Source.UPLOAD,
        "added_by": "U0SEC00001",
        "added_at": AT,
        "status": Status.KEPT,
        "note": f"note {EVIL}",
        "links": ("https://forum.example/t",),
        "files": (
            EvidenceFile("F1", f"shot {EVIL}.png", "ab" * 32, 2048, "image/png"),
            EvidenceFile("F2", "big.mov", refused="larger than the 25.0 MB limit"),
        ),
    }
    return EvidenceItem(**{**base, **kw})  # type: ignore[arg-type]


def test_the_list_escapes_what_people_typed_and_shows_hashes(
    make_incident: Callable[..., Incident],
) -> None:
    incident = make_incident(number=4)
    msg = evidence_list(incident, [_item()], TZ)
    text = json.dumps([b.to_dict() for b in msg.blocks])
    assert "E-2" in text and "sha256 abababababababab" in text and "2 KB" in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "not kept (larger than the 25.0 MB limit)" in text
    told = kept_text(incident, _item())
    assert "E-2" in told and "big.mov was not kept" in told


def test_the_checklist_counts_evidence_and_offers_to_add(
    make_incident: Callable[..., Incident],
) -> None:
    incident = make_incident(number=5)
    blocks = [b.to_dict() for b in checklist_message(incident, TZ, evidence_count=3).blocks]
    (count,) = [b for b in blocks if b.get("block_id") == "evidence"]
    assert count["elements"][0]["text"] == "Evidence: 3 items recorded"
    (controls,) = [b for b in blocks if b.get("block_id") == "controls"]
    add = controls["elements"][1]
    assert add["action_id"] == Action.ADD_EVIDENCE and add["value"] == "5"
