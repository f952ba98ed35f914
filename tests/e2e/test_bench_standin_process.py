"""The benchmark's stand-in runs in a process of its own and answers the benchmark with plain
data: what it hands out, the calls it answered, the modals it holds, the acknowledgements it
checked."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from leakbot.demo.world import ANNOUNCE, GROUPS, PEOPLE

REPO = Path(__file__).resolve().parents[2]

MODAL = {
    "type": "modal",
    "callback_id": "report",
    "title": {"type": "plain_text", "text": "Report a leak"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
}


def _post(url: str, payload: dict[str, Any], token: str | None = None) -> bytes:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(payload).encode(), headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return bytes(answer.read())


def test_the_stand_in_answers_from_its_own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from bench.standin_process import StandInProcess

    standin = StandInProcess(users=PEOPLE, usergroups=GROUPS, channels=[ANNOUNCE])
    try:
        assert standin.pid is not None and standin.pid != os.getpid()
        assert standin.identity.team_id == standin.team_id
        standin.latency = 0.01
        assert standin.latency == 0.01

        trigger = standin.new_trigger_id("U0REP00001")
        opened = _post(
            standin.api_url + "views.open", {"trigger_id": trigger, "view": MODAL}, standin.token
        )
        view_id = json.loads(opened)["view"]["id"]
        (call,) = standin.calls_to("views.open")
        assert call.ok and call.status == 200 and call.at > 0
        assert [c.method for c in standin.calls] == ["views.open"]
        assert standin.view_ids() == {view_id}
        assert [v["id"] for v in standin.views_for("U0REP00001", "report")] == [view_id]
        assert standin.views_for("U0REP00001", "report", exclude={view_id}) == []
        standin.close_view(view_id)
        assert standin.views_for(None, "report") == []

        url = standin.new_response_url("U0REP00001", "C0GENERAL01")
        assert _post(url, {"text": "Done", "response_type": "ephemeral"}) == b"ok"
        assert [p.body["text"] for p in standin.responses] == ["Done"]

        assert standin.check_acknowledgement("slash_commands", b"Working on it") == []
        bad = standin.check_acknowledgement("view_submission", b'{"response_action": "nope"}')
        assert bad and bad[0].startswith("acknowledgement of view_submission")
    finally:
        standin.stop()
