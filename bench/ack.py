"""Figure 1: how fast leakbot acknowledges, against a Bolt app that only acknowledges.

Both servers run at once, each in its own process, and the rounds alternate between them
(leakbot then bare, bare then leakbot, ...), so whatever else the machine does hits both. The
stand-in answers each Web API call in 300 ms: leakbot must acknowledge before any of that.

The requests leave leakbot as they found it, so every round measures the same work:
- ``/leak``: opens the report modal (after the acknowledgement);
- a checklist click: procurement clicks "Complete" on "Confirm the leak", which is
  security's step — refused, told only to the clicker;
- a modal submission: security submits the "Confirm the leak" modal without the verdict it
  requires — the modal answers with the error, and nothing is recorded.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

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
from leakbot.demo.world import fill
from leakbot.devslack import Reply, SlackRequester, SlackStandIn
from leakbot.slack.ids import Action, View
from leakbot.store.db import make_engine

SLACK_LATENCY = 0.3  # seconds the stand-in takes to answer each Web API call
CLIENTS = 20
RATIO_GOAL = 1.3
CEILING = 3.0  # Slack's own limit on an acknowledgement, seconds
KINDS = ("/leak", "click", "modal")

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
    for future in [pool.submit(person) for _ in range(clients)]:
        total.add(future.result())
    return total


def measure(
    leakbot: SlackRequester,
    bare: SlackRequester,
    sends: dict[str, Send],
    rounds: int,
    per_client: int,
) -> dict[tuple[str, str], Samples]:
    results = {(kind, who): Samples() for kind in sends for who in ("leakbot", "bare")}
    targets = {"leakbot": leakbot, "bare": bare}
    with ThreadPoolExecutor(CLIENTS, thread_name_prefix="client") as pool:
        for send in sends.values():  # warm-up: one short burst each, not counted
            for slack in targets.values():
                burst(pool, slack, send, CLIENTS, 1)
        for n in range(rounds):
            order = ("leakbot", "bare") if n % 2 == 0 else ("bare", "leakbot")
            for kind, send in sends.items():
                for who in order:
                    results[(kind, who)].add(burst(pool, targets[who], send, CLIENTS, per_client))
    return results


def prepare(
    server_slack: SlackRequester, standin: SlackStandIn, workdir: Path
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


def run(rounds: int, per_client: int) -> list[Figure]:
    standin = start_standin()
    try:
        with tempfile.TemporaryDirectory(prefix="leakbot-bench-ack-") as tmp:
            workdir = Path(tmp)
            with (
                leakbot_serve(standin, workdir, scheduler=False) as lb,
                bare_bolt(standin, workdir) as bare,
            ):
                posted, modal = prepare(lb.slack, standin, workdir)
                standin.latency = SLACK_LATENCY
                started = time.monotonic()
                results = measure(
                    lb.slack, bare.slack, requests_for(posted, modal), rounds, per_client
                )
                took = time.monotonic() - started
                refused = sum(1 for c in standin.calls if not c.ok)
    finally:
        standin.stop()
    return figures(results, took, refused)


def figures(results: dict[tuple[str, str], Samples], took: float, refused: int) -> list[Figure]:
    out: list[Figure] = []
    for kind in KINDS:
        lb, bare = results[(kind, "leakbot")], results[(kind, "bare")]
        lb50, lb99 = percentile(lb.latencies, 50), percentile(lb.latencies, 99)
        b50, b99 = percentile(bare.latencies, 50), percentile(bare.latencies, 99)
        ratio = lb99 / b99 if b99 else float("nan")
        detail = (
            f"leakbot p50 {ms(lb50)} ms, p99 {ms(lb99)} ms, max {ms(max(lb.latencies))} ms; "
            f"bare p50 {ms(b50)} ms, p99 {ms(b99)} ms; "
            f"{len(lb.latencies)}+{len(bare.latencies)} requests, non-200: "
            f"{lb.failed} leakbot, {bare.failed} bare"
        )
        out.append(
            Figure(
                f"ack.{kind.strip('/')}.ratio",
                f"ack {kind}: leakbot p99 ÷ bare p99",
                round(ratio, 2),
                "×",
                f"≤ {RATIO_GOAL}",
                ratio <= RATIO_GOAL,
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
    out.append(
        Figure(
            "ack.non200",
            "ack: answers other than 200 (both servers)",
            sum(s.failed for s in results.values()),
            "",
            "0",
            all(s.failed == 0 for s in results.values()),
            f"measured for {took:.0f} s; Web API calls the stand-in refused after the "
            f"acknowledgements (e.g. modals opened after their trigger expired): {refused}",
        )
    )
    return out
