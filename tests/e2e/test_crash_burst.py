"""Acknowledged clicks survive SIGKILL: five rounds of a burst of clicks on eight incidents,
the real ``leakbot serve`` killed at a different moment after the acknowledgements each round,
then restarted. Every acknowledged click is applied exactly once, and no message or thread
note is posted twice (asserted on what the stand-in of Slack recorded)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from serving import SECRET, Serve, wait_for

from leakbot.bootstrap import build_deps, load_setup
from leakbot.demo.world import GROUPS, PEOPLE
from leakbot.devslack import SlackRequester, SlackStandIn
from leakbot.domain.incident import StepStatus
from leakbot.domain.report import ReportForm
from leakbot.loading.paths import bundled_example_config
from leakbot.services.deps import Deps
from leakbot.services.reporting import report_incident
from leakbot.settings import Settings
from leakbot.slack.ids import Action
from leakbot.slack.posting import EVENT_TYPE
from leakbot.store.db import make_engine

REPORTER, SECURITY = "U0REP00001", "U0SEC00001"
INCIDENTS = 8
STEPS = 16
PER_ROUND = 3  # steps clicked per incident per round: 24 clicks a round
#: Seconds between the last acknowledgement and SIGKILL, one per round.
KILL_AFTER = (0.0, 0.05, 0.2, 0.5, 1.0)


def burst_playbook(folder: Path) -> Path:
    folder.mkdir()
    lines = [
        "id: burst",
        "name: Burst",
        'version: "1"',
        "description: Independent steps, each completed with one click.",
        "steps:",
    ]
    for k in range(1, STEPS + 1):
        lines += [f"  - id: s{k:02d}", f"    title: Step {k:02d}", "    owner: security"]
    (folder / "burst.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    s = SlackStandIn(users=PEOPLE, usergroups=GROUPS).start()
    s.add_channel("leak-announcements", channel_id="C0ANNOUNCE1")
    yield s
    s.stop()


def opened(deps: Deps) -> dict[int, tuple[str, str]] | None:
    """Incident number -> (channel, checklist ts), once every incident is open in Slack."""
    found: dict[int, tuple[str, str]] = {}
    with deps.read() as uow:
        for incident in uow.incidents.list_open():
            assert incident.id is not None
            links = uow.incidents.links(incident.id)
            if not (links.channel_id and links.checklist_ts and links.announced_at):
                return None
            found[incident.number] = (links.channel_id, links.checklist_ts)
    return found if len(found) == INCIDENTS else None


def all_carried_out(deps: Deps, clicked: list[tuple[int, str]]) -> bool:
    with deps.read() as uow:
        if uow.inbox.pending_count() or uow.outbox.pending_count():
            return False
        for number, step_id in clicked:
            if uow.incidents.get(number).steps[step_id].status is not StepStatus.DONE:
                return False
    return True


def check_exactly_once(
    deps: Deps, standin: SlackStandIn, links: dict[int, tuple[str, str]], clicked: list[Any]
) -> None:
    with deps.read() as uow:
        for number in links:
            incident = uow.incidents.get(number)
            assert incident.id is not None
            completed = Counter(
                e.subject for e in uow.audit.entries(incident.id) if e.action == "step.completed"
            )
            mine = {s for n, s in clicked if n == number}
            assert set(completed) == mine, (number, completed)
            assert all(c == 1 for c in completed.values()), (number, completed)
    keys: list[str] = []
    for number, (channel, checklist_ts) in links.items():
        messages = standin.messages(channel)
        top = [m for m in messages if not m.thread_ts]
        assert len(top) == 2, (number, [m.text[:30] for m in top])  # kickoff, checklist
        notes = Counter(m.text for m in messages if m.thread_ts == checklist_ts)
        assert all(c == 1 for c in notes.values()), (number, notes)
        assert len(notes) == len({s for n, s in clicked if n == number}), number
        keys += [
            m.metadata["event_payload"]["key"]
            for m in messages
            if m.metadata and m.metadata.get("event_type") == EVENT_TYPE
        ]
    assert len(keys) == len(set(keys)), "a post was made twice"
    assert len(standin.messages("C0ANNOUNCE1")) == INCIDENTS
    assert standin.violations == []


def test_acknowledged_clicks_survive_sigkill_exactly_once(
    standin: SlackStandIn, db_url: str, tmp_path: Path
) -> None:
    playbooks = burst_playbook(tmp_path / "playbooks")
    env = {"LEAKBOT_PLAYBOOKS": str(playbooks)}
    settings = Settings.from_env({"LEAKBOT_CONFIG": str(bundled_example_config()), **env})
    engine = make_engine(db_url)
    deps = build_deps(load_setup(settings), engine)
    standin.latency = 0.02  # Slack work takes a moment, so kills land in the middle of it
    serve = Serve(standin, db_url, tmp_path, env=env).start()
    try:
        for i in range(INCIDENTS):
            form = ReportForm(title=f"Burst {i}", supplier="bjmold", playbook="burst")
            report_incident(deps, form, REPORTER, f"burst:{i}")
        links = wait_for(lambda: opened(deps), 60, "the incidents to open in Slack")
        slack = SlackRequester(serve.url, SECRET, standin=standin)
        clicked: list[tuple[int, str]] = []
        retried = 0
        for round_no, pause in enumerate(KILL_AFTER):
            first = round_no * PER_ROUND + 1
            wave = [
                (number, f"s{k:02d}") for k in range(first, first + PER_ROUND) for number in links
            ]

            def click(target: tuple[int, str]) -> tuple[int, str]:
                number, step_id = target
                channel, ts = links[number]
                url = standin.new_response_url(SECURITY, channel)
                reply = slack.block_action(
                    SECURITY,
                    Action.COMPLETE_STEP.value,
                    f"{number}:{step_id}",
                    channel_id=channel,
                    message_ts=ts,
                    response_url=url,
                )
                assert reply.status == 200
                return url.rsplit("/", 1)[-1], f"{number}:{step_id}"

            todo = wave
            while todo:
                with ThreadPoolExecutor(8) as pool:
                    sent = dict(pool.map(click, todo))
                # A click the database could not record in time was answered "nothing was
                # done, try again" (through its response_url): the person clicks again.
                time.sleep(0.3)
                told = {p.url_id for p in standin.workspace.response_posts}
                again = {sent[u] for u in told if u in sent}
                todo = [t for t in todo if f"{t[0]}:{t[1]}" in again]
                retried += len(todo)
            clicked += wave
            time.sleep(pause)
            serve.kill()
            serve.start()
            wait_for(partial(all_carried_out, deps, clicked), 60, "the clicks after a restart")
        time.sleep(1.0)  # anything performed twice would show now
        check_exactly_once(deps, standin, links, clicked)
        assert len(clicked) == INCIDENTS * PER_ROUND * len(KILL_AFTER)
        print(f"{len(clicked)} clicks, {retried} told to try again and clicked again")
    finally:
        serve.stop()
        engine.dispose()
