"""Keeping an incident's checklist current — the way back from a click: a use case commits
the change and owes ``refresh_checklist`` and a ``thread_note``; this edits the pinned
checklist message in place (``chat.update``) and notes the change in its thread."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leakbot.domain.incident import Incident
from leakbot.services.deps import Deps
from leakbot.services.links import record_links
from leakbot.services.outbox import Result, Retry
from leakbot.services.owed_work import IncidentWork, ThreadNote
from leakbot.services.queries import checklist_counts, incident_with_links
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.checklist_message import checklist_message
from leakbot.slack.blocks.common import Message
from leakbot.slack.perform.slack_answers import error_code
from leakbot.slack.posting import Once, post_once


def checklist_of(deps: Deps, incident: Incident) -> Message:
    """The checklist message as the incident stands now."""
    assert incident.id is not None
    counts = checklist_counts(deps, incident.id)
    return checklist_message(
        incident, deps.tz, notice_count=counts.notices, evidence_count=counts.evidence
    )


def refresh_checklist(
    client: WebClient, deps: Deps, payload: IncidentWork, once: Once
) -> Result | None:
    incident, links = incident_with_links(deps, int(payload["number"]))
    if not links.channel_id or not links.checklist_ts:
        return {"skipped": "no checklist yet; opening the incident posts it"}
    msg = checklist_of(deps, incident)
    try:
        client.chat_update(
            channel=links.channel_id, ts=links.checklist_ts, text=msg.text, blocks=msg.blocks
        )
    except SlackApiError as e:
        if error_code(e) != "message_not_found":
            raise
        # Someone deleted the checklist: post it again, once.
        again = once.part(f"checklist-after-{links.checklist_ts}")
        ts = post_once(client, again, channel=links.channel_id, **msg.as_kwargs())
        assert incident.id is not None
        record_links(deps, incident.id, checklist_ts=ts)
    return None


def thread_note(client: WebClient, deps: Deps, payload: ThreadNote, once: Once) -> Result | None:
    incident, links = incident_with_links(deps, int(payload["number"]))
    if not links.channel_id or not links.checklist_ts:
        raise Retry("the incident channel is not open yet")
    text = messages.thread_note(incident, payload)
    ts = post_once(
        client, once.part("note"), channel=links.channel_id, thread_ts=links.checklist_ts, text=text
    )
    return {"ts": ts}
