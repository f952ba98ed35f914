"""Reminders, performed: the sweep owed them; this posts them where the owners will see them
(the posts themselves are built in ``leakbot.slack.blocks.reminder_posts``).

Step reminders go to the incident's channel, under the checklist; the overdue mark and
escalations are also broadcast to the channel. An escalation and an idle nudge reach the
commander by DM. A reminder whose step was finished or reopened since it was owed is dropped:
it would remind of a due time that no longer holds.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from leakbot.domain.incident import StepStatus
from leakbot.services.deps import Deps
from leakbot.services.outbox import Result, Retry
from leakbot.services.owed_work import ReminderPost
from leakbot.services.queries import incident_with_links
from leakbot.services.reminder_sweep import ESCALATE, IDLE, OVERDUE
from leakbot.slack.blocks.common import Message
from leakbot.slack.blocks.reminder_posts import idle_notice, step_notice
from leakbot.slack.perform.slack_answers import outbox_errors
from leakbot.slack.posting import Once, post_once

log = logging.getLogger(__name__)

#: Kinds also shown in the channel itself, not only in the checklist's thread.
BROADCAST = (ESCALATE, OVERDUE)


def _dm(client: WebClient, user: str, message: Message, once: Once) -> str:
    dm = client.conversations_open(users=user)["channel"]["id"]
    return post_once(client, once, channel=dm, **message.as_kwargs())


def perform_reminder(
    client: WebClient, deps: Deps, payload: ReminderPost, once: Once | None = None
) -> Result:
    """Post one owed reminder (an ``Effect.REMIND`` outbox item's payload), once.

    Raises ``Retry`` while the incident has no channel yet. Returns what was posted, or why
    nothing was.
    """
    once = once or Once(f"reminder:{payload.get('number')}", False, deps.clock.now())
    incident, links = incident_with_links(deps, int(payload["number"]))
    kind = str(payload["kind"])
    if not incident.is_open:
        return {"skipped": "the incident is closed"}
    if not links.channel_id:
        raise Retry("the incident channel is not open yet")
    with outbox_errors():
        if kind == IDLE:
            since = (
                datetime.fromisoformat(str(payload["since"]))
                if payload.get("since")
                else datetime.fromisoformat(str(payload["slot_at"]))
                - timedelta(seconds=incident.playbook.idle_after_seconds)
            )
            message = idle_notice(incident, since, links.channel_id, deps.tz)
            return {"dm": _dm(client, incident.commander, message, once.part("dm"))}
        step_id = str(payload["step_id"])
        state = incident.steps.get(step_id)
        due_text = payload.get("due_at")
        if state is None or state.status is not StepStatus.READY or state.due_at is None:
            return {"skipped": "the step is no longer waiting"}
        if due_text and datetime.fromisoformat(str(due_text)) != state.due_at:
            return {"skipped": "the step has a new due time"}
        spec = incident.playbook.step(step_id)
        message = step_notice(incident, spec, kind, state.due_at, deps.tz, deps.config.roles)
        thread: dict[str, Any] = {}
        if links.checklist_ts:
            thread = {"thread_ts": links.checklist_ts, "reply_broadcast": kind in BROADCAST}
        ts = post_once(
            client, once.part("post"), channel=links.channel_id, **message.as_kwargs(), **thread
        )
        result: dict[str, Any] = {"ts": ts}
        if kind == ESCALATE:
            result["dm"] = _dm(client, incident.commander, message, once.part("dm"))
        log.info("%s: %s reminder posted for step %s", incident.ref, kind, step_id)
        return result
