"""The Slack work a use case owes, recorded in the outbox with the change that caused it: each
kind of work (``Effect``) and the payload recorded with it, as a typed value."""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict


class Effect(StrEnum):
    OPEN_INCIDENT = "incident.open"  # channel, invites, topic, kickoff, checklist, pin, announce
    REFRESH_CHECKLIST = "checklist.refresh"  # chat.update the checklist from the current state
    THREAD_NOTE = "thread.note"  # a short line under the checklist: what changed, by whom
    DELIVER_NOTICE = "notice.deliver"  # a notice file to one person's DM
    TELL_COMMANDER = "commander.tell"  # something the commander must know (e.g. a failed invite)
    REMIND = "reminder.post"  # a reminder or escalation about a step
    COLLECT_EVIDENCE = "evidence.collect"  # fetch an item's files from Slack and keep them
    DELIVER_DOSSIER = "dossier.deliver"  # the dossier zip to one person's DM
    LOOKUP_PERSON = "person.lookup"  # users.info: a person's name, for notices


class IncidentWork(TypedDict):
    """``OPEN_INCIDENT`` and ``REFRESH_CHECKLIST``: the incident, by number."""

    number: int


class ThreadNote(TypedDict):
    """``THREAD_NOTE``: what happened (``event``: completed, reopened, skipped, closed,
    commander), by whom, to which step, and why."""

    number: int
    actor: str
    event: str
    step_id: NotRequired[str]
    reason: NotRequired[str]
    outcome: NotRequired[str]  # closed: the incident's new status
    commander: NotRequired[str]  # commander: who commands now


class NoticeDelivery(TypedDict):
    """``DELIVER_NOTICE``: one draft, as ``format`` (docx or md), to ``user``'s DM."""

    draft_id: int
    user: str
    format: str


class CommanderNote(TypedDict):
    """``TELL_COMMANDER``: work of ``kind`` given up with ``error``."""

    incident_id: int | None
    kind: str
    error: str


class ReminderPost(TypedDict):
    """``REMIND``: one reminder slot (times as ISO 8601; see ``services.reminders.Slot``)."""

    number: int
    step_id: str | None
    kind: str
    slot_at: str
    due_at: str | None
    since: str | None


class EvidenceCollection(TypedDict):
    """``COLLECT_EVIDENCE``: the evidence item whose files are fetched."""

    item_id: int


class DossierDelivery(TypedDict):
    """``DELIVER_DOSSIER``: an incident's dossier to ``user``'s DM."""

    number: int
    user: str


class PersonLookup(TypedDict):
    """``LOOKUP_PERSON``: the Slack user whose name is learnt."""

    user: str


Payload = (
    IncidentWork
    | ThreadNote
    | NoticeDelivery
    | CommanderNote
    | ReminderPost
    | EvidenceCollection
    | DossierDelivery
    | PersonLookup
)
