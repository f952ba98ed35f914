"""Acknowledged clicks survive SIGKILL: five rounds of a burst of clicks on eight incidents
(and one "Add to evidence" on a message of each incident's channel), the real ``leakbot serve``
killed at a different moment after the acknowledgements each round, then restarted. Every
acknowledged click is applied exactly once, every message recorded as evidence once and kept,
and no message or thread note is posted twice (asserted on what the stand-in of Slack
recorded)."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from serving import SECRET, Serve, wait_for

from leakbot.bootstrap import build_deps, load_setup
from leakbot.devslack import SlackRequester, SlackStandIn
from leakbot.domain.evidence import Status
from leakbot.domain.incident import StepStatus
from leakbot.domain.report import ReportForm
from leakbot.loading.paths import bundled_example_config
from leakbot.services.deps import Deps
from leakbot.services.reporting import report_incident
from leakbot.settings import Settings
from leakbot.slack.ids import Action, Shortcut
from leakbot.slack.posting import EVENT_TYPE
from leakbot.store.db import make_engine

REPORTER, SECURITY, BOT = "U0REP00001", "U0SEC00001", "U0LEAKBOT1"
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


def all_carried_out(deps: Deps, clicked: list[tuple[int, str]], recorded: int) -> bool:
    with deps.read() as uow:
        if uow.inbox.pending_count() or uow.outbox.pending_count():
            return False
        for number, step_id in clicked:
            if uow.incidents.get(number).steps[step_id].status is not StepStatus.DONE:
                return False
        kept = 0
        for number in {n for n, _ in clicked}:
            items = uow.evidence.of_incident(uow.incidents.get(number).id)
            kept += sum(1 for i in items if i.status is Status.KEPT)
    return kept == recorded


def check_exactly_once(
    deps: Deps,
    standin: SlackStandIn,
    links: dict[int, tuple[str, str]],
    clicked: list[Any],
    shared: dict[int, list[str]],
) -> None:
    with deps.read() as uow:
        for number in links:
            incident = uow.incidents.get(number)
            assert incident.id is not None
            items = uow.evidence.of_incident(incident.id)
            assert sorted(i.message.ts for i in items if i.message) == sorted(shared[number])
            assert all(i.status is Status.KEPT for i in items), number
            added = [e for e in uow.audit.entries(incident.id) if e.action == "evidence.added"]
            assert len(added) == len(shared[number]), (number, len(added))
            completed = Counter(
                e.subject for e in uow.audit.entries(incident.id) if e.action == "step.completed"
            )
            mine = {s for n, s in clicked if n == number}
            assert set(completed) == mine, (number, completed)
            assert all(c == 1 for c in completed.values()), (number, completed)
    keys: list[str] = []
    for number, (channel, checklist_ts) in links.items():
        messages = standin.messages(channel)
        top = [m for m in messages if not m.thread_ts and m.user == BOT]
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
        shared: dict[int, list[str]] = {number: [] for number in links}
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
            # One message a round in each incident's channel, added to the evidence.
            posted = {
                number: standin.post_as(REPORTER, channel, f"Seen again, round {round_no}")
                for number, (channel, _) in links.items()
            }
            pending = list(posted)
            while pending:
                urls = {}
                for number in pending:
                    channel = links[number][0]
                    url = standin.new_response_url(SECURITY, channel)
                    reply = slack.message_shortcut(
                        SECURITY,
                        Shortcut.ADD_TO_EVIDENCE.value,
                        channel,
                        posted[number],
                        response_url=url,
                    )
                    assert reply.status == 200
                    urls[url.rsplit("/", 1)[-1]] = number
                time.sleep(0.3)
                told = {
                    p.url_id
                    for p in standin.workspace.response_posts
                    if "could not" in str(p.body.get("text") or "")
                }
                pending = [n for u, n in urls.items() if u in told]
                retried += len(pending)
            for number, message in posted.items():
                shared[number].append(message["ts"])
            time.sleep(pause)
            serve.kill()
            serve.start()
            recorded = sum(len(v) for v in shared.values())
            wait_for(
                partial(all_carried_out, deps, clicked, recorded), 60, "the work after a restart"
            )
        time.sleep(1.0)  # anything performed twice would show now
        check_exactly_once(deps, standin, links, clicked, shared)
        assert len(clicked) == INCIDENTS * PER_ROUND * len(KILL_AFTER)
        print(f"{len(clicked)} clicks, {retried} told to try again and clicked again")
    finally:
        serve.stop()
        engine.dispose()
