"""Block Kit builders: pure functions from domain values to ``slack_sdk.models`` objects.

Nothing here talks to Slack or the database; listeners and the outbox executor post what these
return. Text a person typed is escaped with ``leakbot.slack.text.esc`` before it is shown.
"""

from __future__ import annotations

from leakbot.slack.blocks.checklist_message import checklist_message
from leakbot.slack.blocks.common import Message
from leakbot.slack.blocks.home_tab import home_view
from leakbot.slack.blocks.messages import (
    announcement,
    channel_topic,
    help_message,
    incident_list,
    kickoff_message,
    refusal,
    reminder_message,
    status_message,
    thread_note,
)
from leakbot.slack.blocks.notice_list import notices_message
from leakbot.slack.blocks.report_modal import report_modal
from leakbot.slack.blocks.step_modals import reason_modal, step_inputs_modal, working_view

__all__ = [
    "Message",
    "announcement",
    "channel_topic",
    "checklist_message",
    "help_message",
    "home_view",
    "incident_list",
    "kickoff_message",
    "notices_message",
    "reason_modal",
    "refusal",
    "reminder_message",
    "report_modal",
    "status_message",
    "step_inputs_modal",
    "thread_note",
    "working_view",
]
