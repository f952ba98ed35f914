"""Figure 2: from the report's submission to the checklist posted in the incident's channel.

The stand-in answers at once, so this is leakbot's own time: recording the incident, the
outbox worker picking the work up, creating the channel, inviting, posting. The clock starts
when the submission is sent and stops when the stand-in records the checklist's
``chat.postMessage`` (its own timestamp, so polling adds nothing).
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from bench.figures import Figure, ms, percentile
from bench.flows import submit_report, wait_for_checklist
from bench.processes import database_url, leakbot_serve, start_standin
from leakbot.store.db import make_engine

GOAL = 1.0  # seconds, at the 95th percentile


def run(reports: int) -> list[Figure]:
    standin = start_standin()
    took: list[float] = []
    try:
        with tempfile.TemporaryDirectory(prefix="leakbot-bench-checklist-") as tmp:
            workdir = Path(tmp)
            with leakbot_serve(standin, workdir, scheduler=False) as lb:
                engine = make_engine(database_url(workdir))
                try:
                    for n in range(1, reports + 1):
                        submitted = submit_report(lb.slack, standin, n, datetime.now())
                        posted = wait_for_checklist(engine, submitted.view_id)
                        call = next(
                            c
                            for c in standin.calls_to("chat.postMessage")
                            if c.ok and c.response.get("ts") == posted.checklist_ts
                        )
                        took.append(call.at - submitted.sent_at)
                finally:
                    engine.dispose()
    finally:
        standin.stop()
    p50, p95 = percentile(took, 50), percentile(took, 95)
    return [
        Figure(
            "checklist.p95",
            "report submitted → checklist posted, p95",
            ms(p95),
            "ms",
            f"< {GOAL * 1000:.0f} ms",
            p95 < GOAL,
            f"p50 {ms(p50)} ms, max {ms(max(took))} ms over {len(took)} reports",
        )
    ]
