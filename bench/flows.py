"""What people do in the benchmark, through signed requests: report a leak, open a step's
modal. Modals are read back from the stand-in, as Slack's client would show them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from bench.standin_process import StandInProcess
from leakbot.demo.world import fill
from leakbot.devslack import Reply, SlackRequester
from leakbot.slack.ids import Action, ReportField, View
from leakbot.store.db import make_session_factory
from leakbot.store.uow import UnitOfWork

REPORTER = "U0REP00001"
SECURITY = "U0SEC00001"
PROCUREMENT = "U0PRO00001"
GENERAL = "C0GENERAL01"


def wait_for_modal(
    standin: StandInProcess, user: str, callback_id: str, seen: set[str], timeout: float = 10.0
) -> dict[str, Any]:
    """The modal with ``callback_id`` opened for ``user`` whose id is not in ``seen``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = standin.views_for(user, callback_id, exclude=seen)
        if found:
            return found[-1]
        time.sleep(0.005)
    raise TimeoutError(f"no {callback_id} modal opened for {user}")


def open_view_ids(standin: StandInProcess) -> set[str]:
    return standin.view_ids()


def report_answers(n: int, today: datetime) -> dict[str, str]:
    return {
        ReportField.TITLE.value: f"MS11 bumper drafts posted on a forum (case {n})",
        ReportField.ASSET.value: "MS11 bumper design drafts",
        ReportField.WHERE_SEEN.value: f"https://forum.example/t/ms11-{n}",
        ReportField.SUPPLIER.value: "bjmold",
        ReportField.DISCOVERED_ON.value: today.date().isoformat(),
        ReportField.SEVERITY.value: "critical",
        ReportField.DESCRIPTION.value: "Drafts shared with the molding supplier under NDA.",
    }


@dataclass(frozen=True)
class Submitted:
    view_id: str
    sent_at: float  # time.time() just before the submission was sent
    reply: Reply


def submit_report(
    slack: SlackRequester, standin: StandInProcess, n: int, today: datetime
) -> Submitted:
    """``/leak``, then the report modal filled in and submitted, as the reporter does it."""
    seen = open_view_ids(standin)
    reply = slack.slash_command(REPORTER, "", channel_id=GENERAL)
    if reply.status != 200:
        raise RuntimeError(f"/leak answered {reply.status}")
    view = wait_for_modal(standin, REPORTER, View.REPORT.value, seen)
    values = fill(view, report_answers(n, today))
    sent_at = time.time()
    reply = slack.view_submission(
        REPORTER,
        view["callback_id"],
        values,
        private_metadata=view.get("private_metadata", ""),
        view_id=view["id"],
        hash=view["hash"],
        view=view,
    )
    if reply.status != 200 or b'"errors"' in (reply.body or b""):
        raise RuntimeError(f"the report was not accepted: {reply.status}")
    standin.close_view(view["id"])
    return Submitted(view["id"], sent_at, reply)


@dataclass(frozen=True)
class Posted:
    number: int
    channel_id: str
    checklist_ts: str


def wait_for_checklist(engine: Engine, view_id: str, timeout: float = 30.0) -> Posted:
    """The incident a report created, once its checklist is posted (read from the database)."""
    sessions = make_session_factory(engine)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with UnitOfWork(sessions, read_only=True) as uow:
            incident = uow.incidents.by_idempotency_key(f"view:{view_id}")
            if incident is not None and incident.id is not None:
                links = uow.incidents.links(incident.id)
                if links.channel_id and links.checklist_ts:
                    return Posted(incident.number, links.channel_id, links.checklist_ts)
        time.sleep(0.01)
    raise TimeoutError("the checklist was not posted")


def open_step_modal(
    slack: SlackRequester, standin: StandInProcess, user: str, posted: Posted, step_id: str
) -> dict[str, Any]:
    """Click "Complete" on a step that asks for inputs; the modal it opens."""
    seen = open_view_ids(standin)
    reply = slack.block_action(
        user,
        Action.COMPLETE_STEP.value,
        f"{posted.number}:{step_id}",
        channel_id=posted.channel_id,
        message_ts=posted.checklist_ts,
    )
    if reply.status != 200:
        raise RuntimeError(f"the click answered {reply.status}")
    return wait_for_modal(standin, user, View.STEP_INPUTS.value, seen)
