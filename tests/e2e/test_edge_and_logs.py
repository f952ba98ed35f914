"""``leakbot serve`` as a real process, logging at DEBUG: hostile bytes before the signature
get a 4xx (never a 5xx, never a traceback) and barely grow the log; a whole story with late,
forged and failing requests leaves none of its confidential text in the log."""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from serving import Serve, wait_for
from sqlalchemy import create_engine, text

from leakbot.demo.story import LEGAL, REPORTER, SECURITY
from leakbot.demo.world import fill
from leakbot.devslack import SlackRequester, SlackStandIn, sign
from leakbot.slack.edge import MAX_BODY_BYTES
from leakbot.slack.ids import Action, ReportField, View

SECRET = "edge-signing-secret"


def edge_serve(standin: SlackStandIn, db_url: str, tmp: Path) -> Serve:
    """``leakbot serve`` at DEBUG, its stdout and stderr in one file."""
    env = {"LEAKBOT_LOG_LEVEL": "DEBUG"}
    return Serve(standin, db_url, tmp, env, args=["--no-scheduler"], secret=SECRET).start()


# --- hostile bytes -------------------------------------------------------------------------
def _raw(
    serve: Serve,
    body: bytes,
    headers: dict[str, str],
    *,
    send: bytes | None = None,
    chunked: bool = False,
) -> int:
    """POST ``body`` (or only ``send`` of it) to /slack/events; the HTTP status."""
    conn = http.client.HTTPConnection("127.0.0.1", serve.port, timeout=20)
    try:
        conn.putrequest("POST", "/slack/events", skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        if chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        elif "Content-Length" not in headers:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        try:
            if chunked:
                step = 256 * 1024
                for i in range(0, len(body), step):
                    part = body[i : i + step]
                    conn.send(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                conn.send(b"0\r\n\r\n")
            else:
                conn.send(body if send is None else send)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking it all: that is the point
        return conn.getresponse().status
    finally:
        conn.close()


def _signed(body: bytes, *, timestamp: str | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(secret, int(ts), body) if ts.isdigit() else "v0=" + "0" * 64,
    }


def _form(**fields: str) -> bytes:
    return urlencode(fields).encode()


def _payload(data: Any) -> bytes:
    return b"payload=" + quote(json.dumps(data)).encode()


def _json_headers(body: bytes) -> dict[str, str]:
    return {**_signed(body), "Content-Type": "application/json"}


HUGE = b"payload=" + b"x" * (10 * 1024 * 1024)
SLASH = _form(
    command="/leak",
    text="list",
    user_id=REPORTER,
    channel_id="C0GENERAL01",
    team_id="T0LOCAL001",
    trigger_id="1.2.abc",
    response_url="https://hooks.slack.com/commands/T0LOCAL001/1",
)

#: (name, body, headers or a function of the body, expected status, how to send)
HOSTILE: list[tuple[str, bytes, Any, int, dict[str, Any]]] = [
    ("10 MB with its length", HUGE, _signed, 413, {"send": HUGE[:65536]}),
    ("10 MB chunked", HUGE, _signed, 413, {"chunked": True}),
    ("just over the limit", b"x" * (MAX_BODY_BYTES + 1), _signed, 413, {}),
    ("Content-Length abc", b"text=1", {"Content-Length": "abc"}, 400, {}),
    ("no signature headers", SLASH, {"Content-Type": "application/x-www-form-urlencoded"}, 401, {}),
    ("timestamp abc", SLASH, lambda b: _signed(b, timestamp="abc"), 401, {}),
    ("timestamp far too long", SLASH, lambda b: _signed(b, timestamp="9" * 40), 401, {}),
    (
        "signature not hex",
        SLASH,
        lambda b: {**_signed(b), "X-Slack-Signature": "v0=zz<script>"},
        401,
        {},
    ),
    ("forged", SLASH, lambda b: _signed(b, secret="not-the-secret"), 401, {}),
    ("stale", SLASH, lambda b: _signed(b, timestamp=str(int(time.time()) - 400)), 401, {}),
    ("invalid UTF-8, unsigned", b"text=\xff\xfe\xfa", {"X-Slack-Signature": "v0=1"}, 401, {}),
    ("invalid UTF-8, signed", b"command=/leak&text=\xff\xfe\xfa", _signed, 400, {}),
    ("payload not JSON", b"payload=%7Bnot-json", _signed, 400, {}),
    ("payload a JSON list", _payload([1, 2, 3]), _signed, 400, {}),
    ("JSON body not an object", b"[1,2,3]", _json_headers, 400, {}),
    ("JSON body broken", b'{"type": "event_callback", ', _json_headers, 400, {}),
    ("form not form-encoded", b"%%%&&&===", _signed, 400, {}),
    (
        "actions without a user",
        _payload({"type": "block_actions", "actions": []}),
        _signed,
        400,
        {},
    ),
    (
        "submission without a view",
        _payload({"type": "view_submission", "user": {"id": REPORTER}}),
        _signed,
        400,
        {},
    ),
    (
        "slash command with a 500-char user id",
        _form(command="/leak", text="list", user_id="U" + "A" * 500, channel_id="C0GENERAL01"),
        _signed,
        400,
        {},
    ),
    ("a well-formed slash command still works", SLASH, _signed, 200, {}),
]


def test_hostile_bytes_get_a_4xx_never_a_5xx_and_barely_grow_the_log(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    serve = edge_serve(standin, f"sqlite:///{tmp_path / 'leakbot.db'}", tmp_path)
    try:
        before = serve.log.stat().st_size
        seen = {}
        for name, body, headers, _expected, how in HOSTILE:
            sent = headers(body) if callable(headers) else headers
            seen[name] = _raw(serve, body, sent, **how)
        assert seen == {name: expected for name, _, _, expected, _ in HOSTILE}
        assert serve.healthy()
        grown = serve.log.stat().st_size - before
        log = serve.log_text()
    finally:
        serve.stop()
    assert grown < 64 * 1024, grown
    assert "Traceback" not in log
    assert "refused a Slack request: 401" in log  # the refusals are there, one line each


# --- nothing confidential in the log -------------------------------------------------------
TITLE = "Zeta-7 hood latch drawings posted"
ASSET = "Zeta-7 hood latch CAD set"
URL_A = "https://files.example/zeta7/latch-rev4"
URL_B = "https://mirror.example/dump/zeta7"
DESCRIPTION = "Rev 4 latch drawings were uploaded by a tooling partner"
EVIDENCE = "screenshot kept by Nakamura-san in the vault"
REOPEN_REASON = "verdict needs the second forum thread"
CLOSE_REASON = "merged into the Kestrel investigation"
FAILED_TITLE = "Orion roof rail sketches leaked"
FAILED_ASSET = "Orion roof rail surfacing"
FAILED_DESCRIPTION = "Surfacing data mailed to an outside address"
LATE_TITLE = "Pegasus mirror cap tooling on a marketplace"
FORGED_ANSWER = "forged answer about Pegasus tooling"
SECRETS = [
    TITLE,
    ASSET,
    URL_A,
    URL_B,
    "files.example",
    DESCRIPTION,
    EVIDENCE,
    REOPEN_REASON,
    CLOSE_REASON,
    FAILED_TITLE,
    FAILED_ASSET,
    FAILED_DESCRIPTION,
    LATE_TITLE,
    FORGED_ANSWER,
    "Zeta-7",
    "Orion",
    "Pegasus",
    "Kestrel",
]


def _report_values(view: dict[str, Any], title: str, asset: str, description: str) -> Any:
    return fill(
        view,
        {
            ReportField.TITLE.value: title,
            ReportField.ASSET.value: asset,
            ReportField.WHERE_SEEN.value: f"{URL_A}\n{URL_B}",
            ReportField.SUPPLIER.value: "bjmold",
            ReportField.DESCRIPTION.value: description,
        },
    )


def _break_incident_inserts(db_url: str, on: bool) -> None:
    """A database error on the next report: a trigger that refuses new incidents."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS refuse_incidents"))
                if on:
                    conn.execute(
                        text(
                            "CREATE TRIGGER refuse_incidents BEFORE INSERT ON incidents "
                            "BEGIN SELECT RAISE(ABORT, 'incidents are refused'); END"
                        )
                    )
            else:
                conn.execute(text("DROP TRIGGER IF EXISTS refuse_incidents ON incidents"))
                if on:
                    conn.execute(
                        text(
                            "CREATE OR REPLACE FUNCTION refuse_incidents() RETURNS trigger "
                            "AS $$ BEGIN RAISE EXCEPTION 'incidents are refused'; END $$ "
                            "LANGUAGE plpgsql"
                        )
                    )
                    conn.execute(
                        text(
                            "CREATE TRIGGER refuse_incidents BEFORE INSERT ON incidents "
                            "FOR EACH ROW EXECUTE FUNCTION refuse_incidents()"
                        )
                    )
    finally:
        engine.dispose()


def _scalar(db_url: str, sql: str, **params: Any) -> Any:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def _step_status(db_url: str, step_id: str) -> Any:
    return _scalar(db_url, "SELECT status FROM step_states WHERE step_id = :s", s=step_id)


def _count(db_url: str, table: str) -> int:
    return int(_scalar(db_url, f"SELECT count(*) FROM {table}"))


def test_a_whole_story_at_debug_leaves_nothing_confidential_in_the_log(
    standin: SlackStandIn, db_url: str, tmp_path: Path
) -> None:
    serve = edge_serve(standin, db_url, tmp_path)
    slack = SlackRequester(serve.url, SECRET, standin=standin)
    try:
        _story(serve, slack, standin, db_url)
        log = serve.log_text()
    finally:
        serve.stop()
    found = [s for s in SECRETS if s.lower() in log.lower()]
    assert found == [], found
    # The log did see all of it happen, at DEBUG, Bolt and slack_sdk included.
    assert " DEBUG slack_sdk" in log and "DEBUG leakbot.bolt" in log
    assert "refused a Slack request: 401 bad or stale signature" in log
    # The database error was met and answered, and logged by its type alone (no SQL, no values).
    assert "database unavailable for a view_submission request" in log
    assert "channel" in log and "LEAK-1" in log


def _story(serve: Serve, slack: SlackRequester, standin: SlackStandIn, db_url: str) -> None:
    def modal(user: str, callback: str) -> dict[str, Any]:
        return wait_for(
            lambda: (standin.views_for(user, callback) or [None])[-1], 15, f"{callback} modal"
        )

    # A genuine report, then the same form late and forged.
    assert slack.slash_command(REPORTER, "").status == 200
    view = modal(REPORTER, View.REPORT.value)
    values = _report_values(view, TITLE, ASSET, DESCRIPTION)
    late_values = _report_values(view, LATE_TITLE, ASSET, DESCRIPTION)
    for how in ({"stale": True}, {"bad_signature": True}):
        late = slack.view_submission(
            REPORTER, View.REPORT.value, late_values, view_id=view["id"], view=view, **how
        )
        assert late.status == 401
    reply = slack.view_submission(
        REPORTER, View.REPORT.value, values, view_id=view["id"], hash=view["hash"], view=view
    )
    assert reply.status == 200 and "LEAK-1" in reply.text
    standin.close_view(view["id"])
    wait_for(lambda: standin.calls_to("conversations.create"), 30, "the incident channel")
    wait_for(lambda: len(standin.calls_to("chat.postMessage")) >= 2, 30, "the checklist")

    # Security confirms with a confidential answer (and a forged twin), then reopens with a
    # reason; late and forged slash commands carry confidential reasons too.
    assert slack.block_action(SECURITY, Action.COMPLETE_STEP.value, "1:confirm").status == 200
    inputs = modal(SECURITY, View.STEP_INPUTS.value)
    answers = fill(inputs, {"verdict": "confirmed", "evidence": EVIDENCE})
    forged = fill(inputs, {"verdict": "confirmed", "evidence": FORGED_ANSWER})
    meta = inputs.get("private_metadata", "")
    sent = slack.view_submission(
        SECURITY, View.STEP_INPUTS.value, forged, private_metadata=meta, bad_signature=True
    )
    assert sent.status == 401
    sent = slack.view_submission(
        SECURITY,
        View.STEP_INPUTS.value,
        answers,
        private_metadata=meta,
        view_id=inputs["id"],
        hash=inputs["hash"],
        view=inputs,
    )
    assert sent.status == 200 and b"errors" not in sent.body
    standin.close_view(inputs["id"])
    wait_for(lambda: _step_status(db_url, "confirm") == "done", 30, "the step to be done")
    wait_for(lambda: _count(db_url, "notice_drafts"), 30, "the notices to be drafted")
    assert slack.block_action(SECURITY, Action.REOPEN_STEP.value, "1:confirm").status == 200
    reason_view = modal(SECURITY, View.REASON.value)
    reason = fill(reason_view, {reason_view["blocks"][-1]["element"]["action_id"]: REOPEN_REASON})
    sent = slack.view_submission(
        SECURITY,
        View.REASON.value,
        reason,
        private_metadata=reason_view.get("private_metadata", ""),
        view_id=reason_view["id"],
        hash=reason_view["hash"],
        view=reason_view,
    )
    assert sent.status == 200
    for how in ({"stale": True}, {"bad_signature": True}):
        assert slack.slash_command(REPORTER, f"close LEAK-1 {CLOSE_REASON}", **how).status == 401

    # Legal lists the notices and pulls one: notice text goes to Slack, not to the log.
    listed = slack.slash_command(LEGAL, "notices LEAK-1")
    assert listed.status == 200
    pulls = [
        e["value"]
        for b in listed.json().get("blocks", [])
        for e in (b.get("elements") or []) + ([b["accessory"]] if "accessory" in b else [])
        if isinstance(e, dict) and e.get("action_id") == Action.PULL_DOCX.value
    ]
    assert pulls, "no notice to pull"
    assert slack.block_action(LEGAL, Action.PULL_DOCX.value, pulls[0]).status == 200
    wait_for(lambda: standin.calls_to("files.completeUploadExternal"), 30, "the notice file")

    # A database error while a report is recorded.
    _break_incident_inserts(db_url, True)
    try:
        assert slack.slash_command(REPORTER, "").status == 200
        view = modal(REPORTER, View.REPORT.value)
        failed = slack.view_submission(
            REPORTER,
            View.REPORT.value,
            _report_values(view, FAILED_TITLE, FAILED_ASSET, FAILED_DESCRIPTION),
            view_id=view["id"],
            hash=view["hash"],
            view=view,
        )
        assert b"LEAK-2" not in failed.body
        assert b"could not record this just now" in failed.body  # told so, in the modal
        assert _count(db_url, "incidents") == 1
    finally:
        _break_incident_inserts(db_url, False)

    # The commander closes it, with a reason.
    assert slack.slash_command(REPORTER, f"close LEAK-1 {CLOSE_REASON}").status == 200
    wait_for(
        lambda: any("closed" in (e.text or "") for e in standin.ephemerals(REPORTER)),
        30,
        "the commander to be told it is closed",
    )
    time.sleep(0.5)  # the last Slack work and its log lines
