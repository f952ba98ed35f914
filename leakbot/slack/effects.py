"""Owed Slack work, performed: each outbox kind becomes Web API calls, safe to repeat.

Progress is written back as it is made (channel id, message timestamps), so a replay after a
crash or an outage carries on where it stopped: never a second channel, never a second
checklist — the checklist is updated, not re-posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import cast

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leakbot.domain.incident import Incident
from leakbot.notices.files import notice_file
from leakbot.services.deps import Deps
from leakbot.services.effects import (
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
from leakbot.services.outbox import GiveUp, Result, Retry
from leakbot.services.people import remember_name
from leakbot.services.storage import IncidentLinks, OutboxItem
from leakbot.slack.blocks import checklist as checklist_blocks
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.common import Message
from leakbot.slack.errors import call_ignoring, classify, error_code, outbox_errors
from leakbot.slack.evidence import collect_evidence, deliver_dossier
from leakbot.slack.payloads import person_name
from leakbot.slack.posting import Once, find_file, post_once
from leakbot.slack.reminders import perform_reminder
from leakbot.slack.text import channel_name, channel_name_variant

log = logging.getLogger(__name__)

NAME_ATTEMPTS = 20
INVITE_BATCH = 100


class SlackEffects:
    def __init__(self, client: WebClient, deps: Deps) -> None:
        self.client = client
        self.deps = deps
        self._bot_user: str | None = None

    # --- entry point ---------------------------------------------------------------------
    def perform(self, item: OutboxItem) -> Result | None:
        # The kind says which of services.effects' payloads was recorded.
        p = item.payload
        handlers: dict[str, Callable[[Once], Result | None]] = {
            Effect.OPEN_INCIDENT.value: lambda o: self.open_incident(cast(IncidentWork, p), o),
            Effect.REFRESH_CHECKLIST.value: lambda o: self.refresh_checklist(
                cast(IncidentWork, p), o
            ),
            Effect.THREAD_NOTE.value: lambda o: self.thread_note(cast(ThreadNote, p), o),
            Effect.DELIVER_NOTICE.value: lambda o: self.deliver_notice(cast(NoticeDelivery, p), o),
            Effect.TELL_COMMANDER.value: lambda o: self.tell_commander(cast(CommanderNote, p), o),
            Effect.REMIND.value: lambda o: self.remind(cast(ReminderPost, p), o),
            Effect.COLLECT_EVIDENCE.value: lambda o: self.collect_evidence(
                cast(EvidenceCollection, p), o
            ),
            Effect.DELIVER_DOSSIER.value: lambda o: self.deliver_dossier(
                cast(DossierDelivery, p), o
            ),
            Effect.LOOKUP_PERSON.value: lambda o: self.lookup_person(cast(PersonLookup, p), o),
        }
        handler = handlers.get(item.kind)
        if handler is None:
            raise GiveUp(f"unknown outbox kind {item.kind}", tell_commander=False)
        # An item claimed before may have reached Slack without its outcome being recorded:
        # its posts are looked for before being posted again (``leakbot.slack.posting``).
        once = Once(f"outbox:{item.id}", item.attempts > 1, item.created_at)
        with outbox_errors():
            return handler(once)

    def remind(self, payload: ReminderPost, once: Once) -> Result | None:
        return perform_reminder(self.client, self.deps, payload, once)

    def collect_evidence(self, payload: EvidenceCollection, once: Once) -> Result | None:
        return collect_evidence(self.client, self.deps, payload)

    def deliver_dossier(self, payload: DossierDelivery, once: Once) -> Result | None:
        return deliver_dossier(self.client, self.deps, payload)

    # --- helpers -------------------------------------------------------------------------
    def _load(self, number: int) -> tuple[Incident, IncidentLinks]:
        with self.deps.read() as uow:
            incident = uow.incidents.get(number)
            assert incident.id is not None
            return incident, uow.incidents.links(incident.id)

    def _set_links(self, incident: Incident, **fields: str | datetime | None) -> None:
        assert incident.id is not None
        with self.deps.uow() as uow:
            uow.incidents.set_links(incident.id, **fields)
            uow.commit()

    def _notice_count(self, incident: Incident) -> int:
        assert incident.id is not None
        with self.deps.read() as uow:
            return len(uow.notices.latest(incident.id))

    def _checklist(self, incident: Incident) -> Message:
        assert incident.id is not None
        with self.deps.read() as uow:
            evidence = uow.evidence.count(incident.id)
        return checklist_blocks.checklist_message(
            incident,
            self.deps.tz,
            notice_count=self._notice_count(incident),
            evidence_count=evidence,
        )

    def _bot(self) -> str | None:
        if self._bot_user is None:
            self._bot_user = self.client.auth_test().get("user_id")
        return self._bot_user

    # --- opening an incident -------------------------------------------------------------
    def open_incident(self, payload: IncidentWork, once: Once) -> Result:
        incident, links = self._load(int(payload["number"]))
        # A channel made by an earlier attempt may hold posts whose ts were never recorded;
        # a channel made just now holds none.
        earlier = bool(links.channel_id)
        channel = links.channel_id or self._create_channel(incident, links)
        opening = Once(f"open:{incident.number}", earlier, incident.opened_at)
        problems = self._invite(incident, channel)
        call_ignoring(
            lambda: self.client.conversations_setTopic(
                channel=channel, topic=messages.channel_topic(incident)
            ),
            "too_long",
        )
        if not links.kickoff_ts:
            supplier = self.deps.config.supplier(incident.facts.supplier_id)
            msg = messages.kickoff_message(
                incident, supplier.name if supplier else None, self.deps.tz
            )
            ts = post_once(self.client, opening.part("kickoff"), channel=channel, **msg.as_kwargs())
            self._set_links(incident, kickoff_ts=ts)
        if not links.checklist_ts:
            msg = self._checklist(incident)
            checklist_ts = post_once(
                self.client, opening.part("checklist"), channel=channel, **msg.as_kwargs()
            )
            self._set_links(incident, checklist_ts=checklist_ts)
            call_ignoring(
                lambda: self.client.pins_add(channel=channel, timestamp=checklist_ts),
                "already_pinned",
            )
        announce = self.deps.config.announce_channel
        if announce and not links.announced_at:
            msg = messages.announcement(incident)
            try:
                post_once(
                    self.client,
                    opening.part("announce"),
                    channel=announce,
                    look=earlier or once.again,
                    **msg.as_kwargs(),
                )
            except SlackApiError as e:
                problems.append(f"the announcement could not be posted ({error_code(e)})")
            self._set_links(incident, announced_at=self.deps.clock.now())
        if problems:
            self._tell(incident, channel, problems)
        return {"channel": channel}

    def _create_channel(self, incident: Incident, links: IncidentLinks) -> str:
        """Create the private channel, recording the name before the call: if a crash or a
        lost answer hides whether Slack created it, the replay finds it instead of making a
        second one."""
        base = channel_name(incident.number, incident.facts.title)
        if links.channel_name:
            found = self._find_private_channel(links.channel_name)
            if found:
                self._set_links(incident, channel_id=found)
                return found
        for attempt in range(1, NAME_ATTEMPTS + 1):
            name = channel_name_variant(base, attempt)
            self._set_links(incident, channel_name=name)
            try:
                resp = self.client.conversations_create(name=name, is_private=True)
            except SlackApiError as e:
                if error_code(e) == "name_taken":
                    continue
                raise
            channel_id = str(resp["channel"]["id"])
            self._set_links(incident, channel_id=channel_id, channel_name=name)
            log.info("%s: channel %s created", incident.ref, channel_id)
            return channel_id
        raise GiveUp(f"no free channel name after {NAME_ATTEMPTS} tries")

    def _find_private_channel(self, name: str) -> str | None:
        """A private channel of that name the bot is in (only ours can be: we created it)."""
        cursor = None
        while True:
            resp = self.client.conversations_list(
                types="private_channel", exclude_archived=True, limit=1000, cursor=cursor
            )
            for channel in resp.get("channels") or []:
                if channel.get("name") == name:
                    return str(channel["id"])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None

    def _invite(self, incident: Incident, channel: str) -> list[str]:
        people: dict[str, None] = {incident.reporter: None, incident.commander: None}
        for role in incident.playbook.roles:
            try:
                members = self.deps.directory.members(role, strict=True)
            except LookupError as e:
                raise Retry(f"a user group of `{role}` could not be read") from e
            for user in members:
                people.setdefault(user)
        bot = self._bot()
        users = [u for u in people if u != bot]
        problems: list[str] = []
        for i in range(0, len(users), INVITE_BATCH):
            batch = users[i : i + INVITE_BATCH]
            try:
                resp = self.client.conversations_invite(
                    channel=channel, users=",".join(batch), force=True
                )
                for err in resp.get("errors") or []:
                    problems.append(
                        f"<@{err.get('user')}> could not be invited ({err.get('error')})"
                    )
            except SlackApiError as e:
                code = error_code(e)
                if code == "already_in_channel":
                    continue
                if code in ("user_not_found", "users_not_found", "user_is_inactive", "cant_invite"):
                    problems.append(f"some people could not be invited ({code})")
                    continue
                raise
        return problems

    def _tell(self, incident: Incident, channel: str, problems: list[str]) -> None:
        text = f"{incident.ref}: not everything could be done in Slack:\n" + "\n".join(
            f"• {p}" for p in problems
        )
        self.client.chat_postEphemeral(channel=channel, user=incident.commander, text=text)

    # --- keeping the checklist current ---------------------------------------------------
    def refresh_checklist(self, payload: IncidentWork, once: Once) -> Result | None:
        incident, links = self._load(int(payload["number"]))
        if not links.channel_id or not links.checklist_ts:
            return {"skipped": "no checklist yet; opening the incident posts it"}
        msg = self._checklist(incident)
        try:
            self.client.chat_update(
                channel=links.channel_id, ts=links.checklist_ts, text=msg.text, blocks=msg.blocks
            )
        except SlackApiError as e:
            if error_code(e) != "message_not_found":
                raise
            # Someone deleted the checklist: post it again, once.
            again = once.part(f"checklist-after-{links.checklist_ts}")
            ts = post_once(self.client, again, channel=links.channel_id, **msg.as_kwargs())
            self._set_links(incident, checklist_ts=ts)
        return None

    def thread_note(self, payload: ThreadNote, once: Once) -> Result | None:
        incident, links = self._load(int(payload["number"]))
        if not links.channel_id or not links.checklist_ts:
            raise Retry("the incident channel is not open yet")
        text = messages.thread_note(incident, payload)
        ts = post_once(
            self.client,
            once.part("note"),
            channel=links.channel_id,
            thread_ts=links.checklist_ts,
            text=text,
        )
        return {"ts": ts}

    # --- notices and people --------------------------------------------------------------
    def deliver_notice(self, payload: NoticeDelivery, once: Once) -> Result:
        with self.deps.uow() as uow:
            draft = uow.notices.get(int(payload["draft_id"]))
            if draft is None:
                raise GiveUp("the notice no longer exists")
            incident = uow.incidents.get_by_id(draft.incident_id)
        name, content = notice_file(
            incident, draft, payload["format"], author=self.deps.config.company.name
        )
        dm = self.client.conversations_open(users=payload["user"])["channel"]["id"]
        if once.again and find_file(self.client, dm, name, once.since):
            return {"file": name, "found": True}  # delivered before its outcome was recorded
        self.client.files_upload_v2(
            channel=dm,
            filename=name,
            content=content,
            title=name,
            initial_comment=f"{incident.ref}: {name} (only you received this file)",
        )
        return {"file": name}

    def lookup_person(self, payload: PersonLookup, once: Once) -> Result | None:
        """A person's name for notices (``users.info``); a name is a nicety, so a refusal is
        noted and never reported to a commander."""
        user = str(payload["user"])
        try:
            resp = self.client.users_info(user=user)
        except SlackApiError as e:
            code = error_code(e)
            if code in ("user_not_found", "user_not_visible"):
                remember_name(self.deps, user, None)
                return {"skipped": code}
            problem = classify(e)
            if isinstance(problem, GiveUp):
                raise GiveUp(problem.reason, tell_commander=False) from e
            raise problem from e
        remember_name(self.deps, user, person_name(resp.get("user") or {}))
        return None

    def tell_commander(self, payload: CommanderNote, once: Once) -> Result | None:
        incident_id = payload.get("incident_id")
        if incident_id is None:
            return {"skipped": "no incident"}
        with self.deps.uow() as uow:
            incident = uow.incidents.get_by_id(int(incident_id))
        text = (
            f"{incident.ref}: some Slack work could not be done and was given up: "
            f"{payload.get('error')} ({payload.get('kind')})."
        )
        dm = self.client.conversations_open(users=incident.commander)["channel"]["id"]
        post_once(self.client, once.part("tell"), channel=dm, text=text)
        return None
