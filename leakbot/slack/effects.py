"""Owed Slack work, performed: each outbox item goes to the performer of its kind
(``leakbot.slack.perform``), inside one sorting of Slack's errors (``outbox_errors``: what to
retry, what to give up on).

An item claimed before may have reached Slack without its outcome being recorded, so each
performance gets a ``Once`` naming it: its posts are looked for before being posted again
(``leakbot.slack.posting``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from slack_sdk import WebClient

from leakbot.services.deps import Deps
from leakbot.services.outbox import GiveUp, Result
from leakbot.services.owed_work import (
    CommanderNote,
    DossierDelivery,
    Effect,
    EvidenceCollection,
    IncidentWork,
    NoticeDelivery,
    PersonLookup,
    ReminderPost,
    ThreadNote,
)
from leakbot.services.storage import OutboxItem
from leakbot.slack.perform.checklist_updates import refresh_checklist, thread_note
from leakbot.slack.perform.deliveries import deliver_notice, tell_commander
from leakbot.slack.perform.evidence_files import collect_evidence, deliver_dossier
from leakbot.slack.perform.incident_opening import IncidentOpening
from leakbot.slack.perform.name_lookup import lookup_person
from leakbot.slack.perform.reminding import perform_reminder
from leakbot.slack.perform.slack_answers import outbox_errors
from leakbot.slack.posting import Once


class SlackEffects:
    def __init__(self, client: WebClient, deps: Deps) -> None:
        self.client = client
        self.deps = deps
        self._opening = IncidentOpening(client, deps)

    def perform(self, item: OutboxItem) -> Result | None:
        c, d, p = self.client, self.deps, item.payload
        # The kind says which of services.owed_work' payloads was recorded.
        handlers: dict[str, Callable[[Once], Result | None]] = {
            Effect.OPEN_INCIDENT.value: lambda o: self._opening.open_incident(
                cast(IncidentWork, p), o
            ),
            Effect.REFRESH_CHECKLIST.value: lambda o: refresh_checklist(
                c, d, cast(IncidentWork, p), o
            ),
            Effect.THREAD_NOTE.value: lambda o: thread_note(c, d, cast(ThreadNote, p), o),
            Effect.DELIVER_NOTICE.value: lambda o: deliver_notice(c, d, cast(NoticeDelivery, p), o),
            Effect.TELL_COMMANDER.value: lambda o: tell_commander(c, d, cast(CommanderNote, p), o),
            Effect.REMIND.value: lambda o: perform_reminder(c, d, cast(ReminderPost, p), o),
            Effect.COLLECT_EVIDENCE.value: lambda o: collect_evidence(
                c, d, cast(EvidenceCollection, p)
            ),
            Effect.DELIVER_DOSSIER.value: lambda o: deliver_dossier(c, d, cast(DossierDelivery, p)),
            Effect.LOOKUP_PERSON.value: lambda o: lookup_person(c, d, cast(PersonLookup, p), o),
        }
        handler = handlers.get(item.kind)
        if handler is None:
            raise GiveUp(f"unknown outbox kind {item.kind}", tell_commander=False)
        once = Once(f"outbox:{item.id}", item.attempts > 1, item.created_at)
        with outbox_errors():
            return handler(once)
