"""Opening an incident in Slack: the private channel (its name recorded before it is created,
so a repeat finds it instead of making a second), the invitations of each role's people, the
topic, the kickoff and the pinned checklist, and the announcement. Each step is recorded as it
is done; a repeat after a crash carries on where it stopped."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leakbot.domain.incident import Incident
from leakbot.services.deps import Deps
from leakbot.services.links import record_links
from leakbot.services.outbox import GiveUp, Result, Retry
from leakbot.services.owed_work import IncidentWork
from leakbot.services.queries import incident_with_links
from leakbot.services.storage import IncidentLinks
from leakbot.slack.blocks import messages
from leakbot.slack.perform.checklist_updates import checklist_of
from leakbot.slack.perform.slack_answers import call_ignoring, error_code
from leakbot.slack.posting import Once, post_once
from leakbot.slack.text import channel_name, channel_name_variant

log = logging.getLogger(__name__)

NAME_ATTEMPTS = 20
INVITE_BATCH = 100


class IncidentOpening:
    def __init__(self, client: WebClient, deps: Deps) -> None:
        self.client = client
        self.deps = deps
        self._bot_user: str | None = None

    def open_incident(self, payload: IncidentWork, once: Once) -> Result:
        incident, links = incident_with_links(self.deps, int(payload["number"]))
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
            self._record(incident, kickoff_ts=ts)
        if not links.checklist_ts:
            msg = checklist_of(self.deps, incident)
            checklist_ts = post_once(
                self.client, opening.part("checklist"), channel=channel, **msg.as_kwargs()
            )
            self._record(incident, checklist_ts=checklist_ts)
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
            self._record(incident, announced_at=self.deps.clock.now())
        if problems:
            self._tell(incident, channel, problems)
        return {"channel": channel}

    def _record(self, incident: Incident, **fields: str | datetime | None) -> None:
        assert incident.id is not None
        record_links(self.deps, incident.id, **fields)

    def _bot(self) -> str | None:
        if self._bot_user is None:
            self._bot_user = self.client.auth_test().get("user_id")
        return self._bot_user

    def _create_channel(self, incident: Incident, links: IncidentLinks) -> str:
        """Create the private channel, recording the name before the call: if a crash or a
        lost answer hides whether Slack created it, the replay finds it instead of making a
        second one."""
        base = channel_name(incident.number, incident.facts.title)
        if links.channel_name:
            found = self._find_private_channel(links.channel_name)
            if found:
                self._record(incident, channel_id=found)
                return found
        for attempt in range(1, NAME_ATTEMPTS + 1):
            name = channel_name_variant(base, attempt)
            self._record(incident, channel_name=name)
            try:
                resp = self.client.conversations_create(name=name, is_private=True)
            except SlackApiError as e:
                if error_code(e) == "name_taken":
                    continue
                raise
            channel_id = str(resp["channel"]["id"])
            self._record(incident, channel_id=channel_id, channel_name=name)
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
