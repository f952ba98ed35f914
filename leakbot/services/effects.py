"""The Slack work a use case owes, recorded in the outbox with the change that caused it."""

from __future__ import annotations

from enum import StrEnum


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
