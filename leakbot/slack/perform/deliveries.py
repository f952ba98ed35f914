"""Files and words for one person, in their direct messages: a pulled notice as Word or
Markdown, and what a commander must know when Slack work was given up. (The dossier is
delivered by ``evidence_files``.)"""

from __future__ import annotations

from slack_sdk import WebClient

from leakbot.notices.files import notice_file
from leakbot.services.deps import Deps
from leakbot.services.notices import draft_to_deliver
from leakbot.services.outbox import GiveUp, Result
from leakbot.services.owed_work import CommanderNote, NoticeDelivery
from leakbot.services.queries import incident_by_id
from leakbot.slack.posting import Once, find_file, post_once


def deliver_notice(client: WebClient, deps: Deps, payload: NoticeDelivery, once: Once) -> Result:
    found = draft_to_deliver(deps, int(payload["draft_id"]))
    if found is None:
        raise GiveUp("the notice no longer exists")
    draft, incident = found
    name, content = notice_file(incident, draft, payload["format"], author=deps.config.company.name)
    dm = client.conversations_open(users=payload["user"])["channel"]["id"]
    if once.again and find_file(client, dm, name, once.since):
        return {"file": name, "found": True}  # delivered before its outcome was recorded
    client.files_upload_v2(
        channel=dm,
        filename=name,
        content=content,
        title=name,
        initial_comment=f"{incident.ref}: {name} (only you received this file)",
    )
    return {"file": name}


def tell_commander(
    client: WebClient, deps: Deps, payload: CommanderNote, once: Once
) -> Result | None:
    incident_id = payload.get("incident_id")
    if incident_id is None:
        return {"skipped": "no incident"}
    incident = incident_by_id(deps, int(incident_id))
    text = (
        f"{incident.ref}: some Slack work could not be done and was given up: "
        f"{payload.get('error')} ({payload.get('kind')})."
    )
    dm = client.conversations_open(users=incident.commander)["channel"]["id"]
    post_once(client, once.part("tell"), channel=dm, text=text)
    return None
