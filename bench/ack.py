"""Figure 1: how fast leakbot acknowledges, against a Bolt app that only acknowledges.

Both servers run at once, each in its own process (leakbot's with its worker process), and
within each round the bursts alternate between them (leakbot, bare, bare, leakbot), so whatever
else the machine does hits both. Each of the 5 rounds gives one ratio per kind; the figure is
their median, held to its goal, and their worst, held to a looser one. Before each kind's
bursts, leakbot is let carry out what it acknowledged, so a kind's figure carries the work of
its own requests, not the tail of the kind before it (which, leakbot's burst being the last of
one kind and the first of the next, fell on leakbot's first burst alone). The stand-in answers
each Web API call in 300 ms: leakbot must acknowledge before any of that.

Also counted: answers other than 200, and triggers that expired before leakbot opened their
modal (refused by the stand-in with ``expired_trigger_id``, or given up by leakbot itself,
which then tells the person to click again) — each ``/leak`` opens the report modal, so under
this load the worker must keep up. And the resident memory of leakbot's processes after it.

The requests leave leakbot as they found it, so every round measures the same work:
- ``/leak``: opens the report modal (after the acknowledgement);
- a checklist click: procurement clicks "Complete" on "Confirm the leak", which is
  security's step — refused, told only to the clicker;
- a modal submission: security submits the "Confirm the leak" modal without the verdict it
  requires — the modal answers with the error, and nothing is recorded.
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import memory
from bench.figures import Figure, ms, percentile
from bench.flows import (
    GENERAL,
    PROCUREMENT,
    REPORTER,
    SECURITY,
    Posted,
    open_step_modal,
    submit_report,
    wait_for_checklist,
)
from bench.processes import (
    bare_bolt,
    database_url,
    leakbot_serve,
    start_standin,
)
from bench.standin_process import StandInProcess
from leakbot.demo.world import fill
from leakbot.devslack import Reply, SlackRequester
from leakbot.memory import IDLE_SECONDS
from leakbot.slack.ids import Action, View
from leakbot.slack.runtime import EXPIRED
from leakbot.store.db import make_engine, make_session_factory
from leakbot.store.uow import UnitOfWork

SLACK_LATENCY = 0.3  # seconds the stand-in takes to answer each Web API call
CLIENTS = 20
RATIO_GOAL = 1.3  # at the median of the rounds
WORST_GOAL = 1.5  # in the worst round
CEILING = 3.0  # Slack's own limit on an acknowledgement, seconds
KINDS = ("/leak", "click", "modal")
#: Within a round, the order of the bursts of each kind.
ORDER = ("leakbot", "bare", "bare", "leakbot")

Send = Callable[[SlackRequester], Reply]


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    failed: int = 0

    def add(self, other: Samples) -> None:
        self.latencies += other.latencies
        self.failed += other.failed


def requests_for(posted: Posted, modal: dict[str, Any]) -> dict[str, Send]:
    """The three requests, the same bytes for leakbot and for the bare app."""
    values = fill(modal, {"verdict": None})

    def slash(slack: SlackRequester) -> Reply:
        return slack.slash_command(REPORTER, "", channel_id=GENERAL)

    def click(slack: SlackRequester) -> Reply:
        return slack.block_action(
            PROCUREMENT,
            Action.COMPLETE_STEP.value,
            f"{posted.number}:confirm",
            channel_id=posted.channel_id,
            message_ts=posted.checklist_ts,
        )

    def submit(slack: SlackRequester) -> Reply:
        return slack.view_submission(
            SECURITY,
            View.STEP_INPUTS.value,
            values,
            private_metadata=modal.get("private_metadata", ""),
            view_id=modal["id"],
            hash=modal["hash"],
            view=modal,
        )

    return {"/leak": slash, "click": click, "modal": submit}


def burst(
    pool: ThreadPoolExecutor, slack: SlackRequester, send: Send, clients: int, per_client: int
) -> Samples:
    """``clients`` people at once, each sending ``per_client`` requests one after the other."""
    start = threading.Barrier(clients)

    def person() -> Samples:
        mine = Samples()
        start.wait()
        for _ in range(per_client):
            try:
                reply = send(slack)
            except OSError:
                mine.failed += 1
                continue
            mine.latencies.append(reply.elapsed)
            if reply.status != 200:
                mine.failed += 1
        return mine

    total = Samples()
    # No collection of this process's garbage while the clients time a burst: a full one took
    # 50 ms here, and counted against whichever server was being timed (docs/performance.md).
    gc.collect()
    gc.disable()
    try:
        for future in [pool.submit(person) for _ in range(clients)]:
            total.add(future.result())
    finally:
        gc.enable()
    return total


Results = dict[tuple[str, str], list[Samples]]


def measure(
    leakbot: SlackRequester,
    bare: SlackRequester,
    sends: dict[str, Send],
    rounds: int,
    per_client: int,
    quiet: Callable[[], None] = lambda: None,
) -> Results:
    """Per kind and server, one ``Samples`` per round. ``quiet`` returns once leakbot has
    carried out what it acknowledged: called before each kind's bursts, so that a kind's
    figure carries the work of its own requests, not the tail of the kind before it (which,
    leakbot's burst being the last of a kind and the first of the next, would fall on
    leakbot's first burst alone)."""
    results: Results = {(kind, who): [] for kind in sends for who in ("leakbot", "bare")}
    targets = {"leakbot": leakbot, "bare": bare}
    with ThreadPoolExecutor(CLIENTS, thread_name_prefix="client") as pool:
        for send in sends.values():  # warm-up: one short burst each, not counted
            for slack in targets.values():
                burst(pool, slack, send, CLIENTS, 1)
        for _ in range(rounds):
            for kind, send in sends.items():
                quiet()
                got = {who: Samples() for who in targets}
                for who in ORDER:
                    got[who].add(burst(pool, targets[who], send, CLIENTS, per_client))
                for who, samples in got.items():
                    results[(kind, who)].append(samples)
    return results


def prepare(
    server_slack: SlackRequester, standin: StandInProcess, workdir: Path
) -> tuple[Posted, dict[str, Any]]:
    """One reported incident with its checklist, and security's "Confirm the leak" modal."""
    today = datetime.now()
    submitted = submit_report(server_slack, standin, 1, today)
    engine = make_engine(database_url(workdir))
    try:
        posted = wait_for_checklist(engine, submitted.view_id)
    finally:
        engine.dispose()
    modal = open_step_modal(server_slack, standin, SECURITY, posted, "confirm")
    return posted, modal


def expired(standin: StandInProcess) -> tuple[int, int]:
    """Triggers that expired: modals the stand-in refused as too late, and modals leakbot
    gave up on (telling the person to click again)."""
    refused = sum(
        1 for c in standin.calls_to("views.open") if c.response.get("error") == "expired_trigger_id"
    )
    given_up = sum(1 for p in standin.responses if str(p.body.get("text", "")).endswith(EXPIRED))
    return refused, given_up


def settled(workdir: Path, timeout: float = 60.0) -> None:
    """Wait until leakbot has carried out every request it acknowledged."""
    engine = make_engine(database_url(workdir))
    sessions = make_session_factory(engine)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with UnitOfWork(sessions, read_only=True) as uow:
                if uow.inbox.pending_count() == 0:
                    return
            time.sleep(0.1)
    finally:
        engine.dispose()


def quiet(workdir: Path) -> None:
    """Everything acknowledged carried out, and the refusals told after it (an intent is
    settled before its refusal is told, which takes the stand-in's latency) answered."""
    settled(workdir)
    time.sleep(2 * SLACK_LATENCY)


def run(rounds: int, per_client: int) -> list[Figure]:
    standin = start_standin()
    try:
        with tempfile.TemporaryDirectory(prefix="leakbot-bench-ack-") as tmp:
            workdir = Path(tmp)
            with (
                leakbot_serve(standin, workdir) as lb,
                bare_bolt(standin, workdir) as bare,
            ):
                posted, modal = prepare(lb.slack, standin, workdir)
                standin.latency = SLACK_LATENCY
                started = time.monotonic()
                results = measure(
                    lb.slack,
                    bare.slack,
                    requests_for(posted, modal),
                    rounds,
                    per_client,
                    lambda: quiet(workdir),
                )
                took = time.monotonic() - started
                settled(workdir)
                time.sleep(3 * IDLE_SECONDS)  # idle: each process gives back what it freed
                after = memory.held(lb.pid)
                late = expired(standin)
                refused = sum(1 for c in standin.calls if not c.ok) - late[0]
    finally:
        standin.stop()
    return figures(results, took, late, refused) + [
        memory.figure(
            "memory.after_rss",
            "`leakbot serve` resident memory after the benchmark",
            after,
            f"after {sum(len(s.latencies) for v in results.values() for s in v):,} requests",
        )
    ]


def _merged(rounds: list[Samples]) -> Samples:
    total = Samples()
    for samples in rounds:
        total.add(samples)
    return total


def figures(results: Results, took: float, late: tuple[int, int], refused: int) -> list[Figure]:
    out: list[Figure] = []
    for kind in KINDS:
        lb_rounds, bare_rounds = results[(kind, "leakbot")], results[(kind, "bare")]
        ratios = [
            percentile(lb.latencies, 99) / percentile(b.latencies, 99)
            for lb, b in zip(lb_rounds, bare_rounds, strict=True)
        ]
        mid, worst = statistics.median(ratios), max(ratios)
        lb, bare = _merged(lb_rounds), _merged(bare_rounds)
        lb50, lb99 = percentile(lb.latencies, 50), percentile(lb.latencies, 99)
        b50, b99 = percentile(bare.latencies, 50), percentile(bare.latencies, 99)
        detail = (
            f"{len(ratios)} rounds: min {min(ratios):.2f}, median {mid:.2f}, max {worst:.2f} "
            f"(each: {', '.join(f'{r:.2f}' for r in ratios)}); all rounds: "
            f"leakbot p50 {ms(lb50)} ms, p99 {ms(lb99)} ms, max {ms(max(lb.latencies))} ms; "
            f"bare p50 {ms(b50)} ms, p99 {ms(b99)} ms; "
            f"{len(lb.latencies)}+{len(bare.latencies)} requests"
        )
        out.append(
            Figure(
                f"ack.{kind.strip('/')}.ratio",
                f"ack {kind}: leakbot p99 ÷ bare p99, median round",
                round(mid, 2),
                "×",
                f"≤ {RATIO_GOAL}, worst ≤ {WORST_GOAL}",
                mid <= RATIO_GOAL and worst <= WORST_GOAL,
                detail,
            )
        )
        out.append(
            Figure(
                f"ack.{kind.strip('/')}.p99",
                f"ack {kind}: leakbot p99",
                ms(lb99),
                "ms",
                f"< {CEILING * 1000:.0f} ms",
                lb99 < CEILING and lb.failed == 0,
                f"p50 {ms(lb50)} ms",
            )
        )
    every = [s for rounds in results.values() for s in rounds]
    by_server = {
        who: sum(s.failed for (_, w), rounds in results.items() if w == who for s in rounds)
        for who in ("leakbot", "bare")
    }
    out.append(
        Figure(
            "ack.non200",
            "ack: answers other than 200 (both servers)",
            sum(s.failed for s in every),
            "",
            "0",
            all(s.failed == 0 for s in every),
            f"leakbot {by_server['leakbot']}, bare {by_server['bare']}; measured for {took:.0f} s",
        )
    )
    out.append(
        Figure(
            "ack.expired",
            "ack: triggers expired before their modal opened",
            sum(late),
            "",
            "0",
            sum(late) == 0,
            f"refused by Slack as expired: {late[0]}; given up by leakbot (told to click "
            f"again): {late[1]}; other Web API calls refused: {refused}",
        )
    )
    return out
