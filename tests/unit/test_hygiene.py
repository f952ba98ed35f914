"""Input hygiene (``leakbot.domain.hygiene``) and where it is applied: table-driven."""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leakbot.domain import hygiene
from leakbot.domain.errors import InvalidInputs, Refused
from leakbot.domain.inputs import parse_value
from leakbot.domain.playbook import InputSpec
from leakbot.domain.report import ReportForm, check_report
from leakbot.logs import WITHHELD, WithholdPayloads, withhold
from leakbot.slack import edge, payloads

RLO = "\u202e"


@pytest.mark.parametrize(
    ("raw", "multiline", "cleaned"),
    [
        ("plain text", False, "plain text"),
        ("a\x00b", True, "ab"),
        ("bell\x07 and escape\x1b[31m", True, "bell and escape[31m"),
        ("del\x7f and c1\x9b", True, "del and c1"),
        ("two\r\nlines", True, "two\nlines"),
        ("two\nlines\tand a tab", False, "two lines and a tab"),
        ("next\x85line", True, "next\nline"),
        (f"invoice{RLO}fdp.exe", True, "invoicefdp.exe"),
        ("\u202a\u202b\u202c\u202d x \u2066\u2067\u2068\u2069", True, " x "),
        ("北京模塑科技 图纸泄露", False, "北京模塑科技 图纸泄露"),
        ("family 👨\u200d👩\u200d👧 emoji", False, "family 👨\u200d👩\u200d👧 emoji"),
    ],
)
def test_clean_removes_control_and_bidi_characters_and_keeps_the_rest(
    raw: str, multiline: bool, cleaned: str
) -> None:
    assert hygiene.clean(raw, multiline=multiline) == cleaned


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("", False),
        ("   \t\n", False),
        ("\u200b\u200c\u200d\u2060\ufeff", False),  # zero-width characters only
        ("\u3164\u115f\u2800", False),  # fillers that draw nothing
        ("\u00a0\u3000", False),  # no-break and ideographic spaces
        ("\u0301\u0308", False),  # combining marks with nothing to sit on
        ("\u200bx\u200b", True),
        ("泄", True),
        ("👍", True),
    ],
)
def test_text_with_nothing_visible_counts_as_empty(text: str, visible: bool) -> None:
    assert hygiene.has_visible(text) is visible


@pytest.mark.parametrize(
    ("text", "limit", "required", "outcome"),
    [
        ("  fine  ", 10, True, "fine"),
        ("x" * 10, 10, True, "x" * 10),
        ("x" * 11, 10, True, ValueError("is too long: 11 characters, 10 at most")),
        ("\u200b\u200b", 10, True, ValueError("is empty (or has nothing visible in it)")),
        ("\u200b\u200b", 10, False, ""),
        ("a\x00" * 10, 10, True, "a" * 10),  # counted after cleaning
    ],
)
def test_check_text_bounds_and_requires_visible_text(
    text: str, limit: int, required: bool, outcome: Any
) -> None:
    if isinstance(outcome, Exception):
        with pytest.raises(ValueError, match=re.escape(str(outcome))):
            hygiene.check_text(text, limit, required=required)
    else:
        assert hygiene.check_text(text, limit, required=required) == outcome


@pytest.mark.parametrize(
    ("check", "value", "ok"),
    [
        (hygiene.is_user_id, "U0REP00001", True),
        (hygiene.is_user_id, "W0123ABCD", True),
        (hygiene.is_user_id, "U" + "A" * 500, False),
        (hygiene.is_user_id, "u0rep00001", False),
        (hygiene.is_user_id, "U0REP\x0000001", False),
        (hygiene.is_step_id, "confirm", True),
        (hygiene.is_step_id, "x" * 101, False),
        (hygiene.is_step_id, "../etc", False),
        (hygiene.is_incident_number, 1, True),
        (hygiene.is_incident_number, 999_999_999, True),
        (hygiene.is_incident_number, 10**9, False),
        (hygiene.is_incident_number, 2**63, False),
        (hygiene.is_incident_number, 0, False),
        (hygiene.is_incident_number, True, False),
        (hygiene.is_incident_number, "1", False),
    ],
)
def test_ids_are_checked_by_pattern_and_bound(check: Any, value: Any, ok: bool) -> None:
    assert check(value) is ok


@pytest.mark.parametrize(
    ("type_", "raw", "error"),
    [
        ("number", str(2**63), "is too large"),
        ("number", "-" + str(2**63), "is too large"),
        ("number", "9" * 60, "at most 40 digits"),
        ("money", f"CNY {2**63}", "implausibly large"),
        ("text", "x" * 301, "is too long: 301 characters, 300 at most"),
        ("long_text", "x" * 1_000_000, "is too long: 1,000,000 characters, 3,000 at most"),
        ("url", "https://a.example/" + "x" * 1000, "1,000 characters at most"),
        ("user", "U" + "A" * 500, "must be a Slack user"),
    ],
)
def test_step_answers_out_of_bounds_are_refused(type_: str, raw: str, error: str) -> None:
    spec = InputSpec(id="a", label="A", type=type_)
    with pytest.raises(ValueError, match=error):
        parse_value(spec, raw, "CNY")


def test_a_number_answer_within_bounds_is_kept() -> None:
    spec = InputSpec(id="a", label="A", type="number")
    assert parse_value(spec, "1000000000000000", None) == "1000000000000000"
    assert hygiene.check_number(Decimal("-1e15")) == Decimal("-1e15")


def _check(app_setup: Any, **fields: str) -> Any:
    form = ReportForm(**{"title": "Drafts on a forum", **fields})
    config = app_setup.config
    now = datetime(2026, 1, 22, 9, 0, tzinfo=UTC)
    return check_report(form, config, tuple(app_setup.playbooks), now, ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"asset": "x" * 5000}, "asset"),
        ({"where_seen": " ".join(f"https://a.example/{i}" for i in range(500))}, "where_seen"),
        ({"where_seen": "https://a.example/" + "x" * 2000}, "where_seen"),
        ({"title": "\u200b\u200c\u200d"}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"description": "x" * 3001}, "description"),
    ],
    ids=["5000-char asset", "500 URLs", "2000-char URL", "zero-width title", "long title", "desc"],
)
def test_a_report_out_of_bounds_names_its_field(
    app_setup: Any, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInputs) as e:
        _check(app_setup, **fields)
    assert list(e.value.errors) == [field]


def test_a_report_is_stored_clean_of_nul_and_bidi_characters(app_setup: Any) -> None:
    facts, _ = _check(
        app_setup,
        title=f"Drafts{RLO}fdp.exe\x00",
        asset="K9\x00 bumper",
        description="line one\r\nline\x00 two",
    )
    assert facts.title == "Draftsfdp.exe"
    assert facts.asset == "K9 bumper"
    assert facts.description == "line one\nline two"


@pytest.mark.parametrize(
    "metadata",
    [
        "not json",
        "[1, 2]",
        '{"number": 9223372036854775808, "step_id": "confirm"}',
        '{"number": 0, "step_id": "confirm"}',
        '{"number": true, "step_id": "confirm"}',
        '{"number": 1, "step_id": "' + "x" * 500 + '"}',
        '{"number": 1}',
    ],
)
def test_malformed_modal_metadata_is_refused_with_a_plain_reason(metadata: str) -> None:
    view = {"private_metadata": metadata, "state": {"values": {}}}
    with pytest.raises(Refused, match="out of date"):
        payloads.step_inputs(view)


def test_slash_command_words_are_cleaned_and_bounded() -> None:
    assert payloads.command_words({"text": "close\x00 LEAK-1 dup\u202e"}) == [
        "close",
        "LEAK-1",
        "dup",
    ]
    with pytest.raises(Refused, match="too long"):
        payloads.command_words({"text": "x" * 5000})
    assert payloads.mentioned_user("<@U" + "A" * 500 + ">") is None
    assert payloads.mentioned_user("<@U0SEC00001|li.na>") == "U0SEC00001"
    with pytest.raises(Refused, match="too long"):
        payloads.close_reason(["x" * 100_000])
    with pytest.raises(Refused, match="empty"):
        payloads.close_reason(["\u200b"])
    assert payloads.reason_problem("x" * 100_000) is not None
    assert payloads.reason_problem("\u200b \u200b") is not None
    assert payloads.reason_problem("still needed") is None


# --- the edge and the log filter -----------------------------------------------------------
@pytest.mark.parametrize(
    ("environ", "outcome"),
    [
        ({"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hello")}, b"hello"),
        ({"CONTENT_LENGTH": "11", "wsgi.input": io.BytesIO(b"x" * 11)}, 413),
        ({"CONTENT_LENGTH": "abc", "wsgi.input": io.BytesIO(b"x")}, 400),
        ({"CONTENT_LENGTH": "9", "wsgi.input": io.BytesIO(b"short")}, 400),
        ({"wsgi.input": io.BytesIO(b"x" * 10)}, b"x" * 10),  # no length, at the limit
        ({"wsgi.input": io.BytesIO(b"x" * 10_000)}, 413),  # no length, past it
    ],
)
def test_the_edge_reads_at_most_its_limit(environ: dict[str, Any], outcome: Any) -> None:
    if isinstance(outcome, int):
        with pytest.raises(edge.Refusal) as e:
            edge.read_body(environ, limit=10)
        assert e.value.status == outcome
        assert environ["wsgi.input"].tell() <= 11  # never read past the limit
    else:
        assert edge.read_body(environ, limit=10) == outcome


@pytest.mark.parametrize(
    "line",
    [
        "Invalid request signature detected (signature: v0=ab, timestamp: 1, body: text=SECRET)",
        "Responding with status: 200 body: \"{'text': 'SECRET'}\" (3 millis)",
        "Sending a request - url: https://slack.com/api/chat.postMessage, query_params: {}, "
        "json_body: {'text': 'SECRET'}, headers: {}",
        "Received the following response - status: 200, headers: {}, body: {'text': 'SECRET'}",
        "Unhandled request ({'type': 'block_suggestion', 'value': 'SECRET'})",
        'on_message invoked: (message: {"payload": "SECRET"})',
        "request body: {'view': 'SECRET'}",
        "Skipped self event: {'text': 'SECRET'}",
    ],
)
def test_library_log_lines_lose_their_payload(line: str) -> None:
    cut = withhold(line)
    assert "SECRET" not in cut and cut.endswith(WITHHELD)


def test_the_filter_cuts_library_records_and_caps_leakbot_s_own() -> None:
    def record(name: str, msg: str, *args: Any) -> logging.LogRecord:
        return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)

    keep = WithholdPayloads()
    bolt = record("slack_bolt.App", "Invalid request signature (body: %s)", "SECRET")
    assert keep.filter(bolt) and "SECRET" not in bolt.getMessage()
    ours_bolt = record("leakbot.bolt", "Responding with status: 200 body: %s", "SECRET")
    assert keep.filter(ours_bolt) and "SECRET" not in ours_bolt.getMessage()
    own = record("leakbot.slack.effects", "%s: channel %s created", "LEAK-1", "C1")
    assert keep.filter(own) and own.getMessage() == "LEAK-1: channel C1 created"
    long = record("leakbot.slack.app", "x" * 10_000)
    assert keep.filter(long) and len(long.getMessage()) == 2000
