"""``leakbot serve`` is two processes: the one that acknowledges makes no Web API call at all,
and the worker process it starts does every one of them. A worker that dies is started again
(``/healthz`` says so meanwhile) and carries on; a serve killed with SIGKILL takes its worker
with it."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from serving import SECRET, Serve, wait_for

from leakbot.devslack import SlackRequester, SlackStandIn
from leakbot.slack.ids import Action, View

REPORTER, PROCUREMENT = "U0REP00001", "U0PRO00001"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text() if Path(f"/proc/{pid}").exists() else ""
    return " Z " not in stat  # a zombie has exited


def report_modal(standin: SlackStandIn, slack: SlackRequester) -> dict[str, object]:
    seen = {v["id"] for v in standin.views_for(REPORTER, View.REPORT.value)}
    assert slack.slash_command(REPORTER, "", channel_id="C0GENERAL01").status == 200
    return wait_for(
        lambda: next(
            (v for v in standin.views_for(REPORTER, View.REPORT.value) if v["id"] not in seen),
            None,
        ),
        15,
        "the report modal",
    )


def test_the_worker_process_makes_every_web_api_call_and_is_restarted_when_it_dies(
    standin: SlackStandIn, db_url: str, tmp_path: Path
) -> None:
    serve = Serve(standin, db_url, tmp_path).start()
    try:
        assert serve.health() == {"status": "ok", "database": True, "worker": True}
        [worker] = serve.children()
        slack = SlackRequester(serve.url, SECRET, standin=standin)

        standin.close_view(str(report_modal(standin, slack)["id"]))
        # a refusal told only to the clicker, through the click's response_url
        url = standin.new_response_url(PROCUREMENT, "C0GENERAL01")
        reply = slack.block_action(
            PROCUREMENT, Action.COMPLETE_STEP.value, "99:confirm", response_url=url
        )
        assert reply.status == 200
        wait_for(lambda: standin.responses, 15, "the refusal told to the clicker")
        # opening App Home: the worker reads the incidents and publishes the view
        home = {"type": "app_home_opened", "user": REPORTER, "tab": "home"}
        assert slack.event(home).status == 200
        wait_for(lambda: standin.calls_to("views.publish"), 15, "the home view")

        agents = standin.agents
        assert agents, "the stand-in saw no request"
        assert not [a for a in agents if "leakbot-web" in a[1]], agents
        assert {"/api/views.open", "/api/views.publish"} <= {
            path for path, agent in agents if "leakbot-worker" in agent
        }
        assert any(path.startswith("/respond/") and "leakbot-worker" in a for path, a in agents)

        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: serve.children() and serve.children() != [worker], 30, "a new worker")
        wait_for(lambda: serve.health().get("worker") is True, 60, "the new worker to be ready")
        assert not alive(worker)
        standin.close_view(str(report_modal(standin, slack)["id"]))  # carried out by the new one
        assert "the worker process exited" in serve.log_text()

        [second] = serve.children()
        serve.kill()
        wait_for(lambda: not alive(second), 10, "the worker to die with serve")
    finally:
        serve.stop()
    assert "Traceback" not in serve.log_text()
