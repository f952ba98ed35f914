"""Owed evidence work, performed after the acknowledgement: fetch an item's files from Slack
(``files.info``, then the private download address with the bot token), keep them, and tell the
person who added them; build the dossier and put it in one person's DM.

Slack answers a download it will not allow with an HTML login page and status 200, not with an
error; such a page is recognised and never kept as evidence.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from typing import Any

from slack_sdk import WebClient

from leakbot.domain.evidence import (
    EvidenceFile,
    Status,
    is_html_type,
    looks_like_html,
    message_record,
    size_words,
)
from leakbot.operator_errors import UserError
from leakbot.services.deps import Deps
from leakbot.services.evidence import Collected, keep_collected, pending_item
from leakbot.services.outbox import GiveUp, Result, Retry
from leakbot.services.owed_work import DossierDelivery, EvidenceCollection
from leakbot.slack.blocks.evidence_views import kept_text

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 60
LOGIN_PAGE = (
    "Slack sent a web page instead of the file (the bot token may not read it: check the "
    "`files:read` scope)"
)


def download(url: str, token: str, limit: int) -> bytes | None:
    """The file's bytes, or None when it is larger than ``limit``."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
            content: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as e:
        if e.code == 429 or e.code >= 500:
            raise Retry(f"the file download answered {e.code}") from None
        raise GiveUp(f"Slack refused the file download ({e.code})") from None
    except ValueError:  # an address urllib cannot use
        raise GiveUp("Slack gave a file address leakbot cannot use") from None
    return None if len(content) > limit else content


def _fetch(client: WebClient, f: EvidenceFile, limit: int) -> Collected:
    info: dict[str, Any] = client.files_info(file=f.slack_id)["file"]
    name = str(info.get("name") or f.name)
    media_type = str(info.get("mimetype") or "application/octet-stream")
    described = EvidenceFile(slack_id=f.slack_id, name=name, media_type=media_type)
    too_large = f"larger than the {size_words(limit)} limit"
    if int(info.get("size") or 0) > limit:
        return Collected(EvidenceFile(**{**described.as_json(), "refused": too_large}), None)
    url = info.get("url_private_download") or info.get("url_private")
    if not url:
        raise GiveUp("Slack gave no download address for an evidence file")
    assert client.token is not None
    content = download(str(url), client.token, limit)
    if content is None:
        return Collected(EvidenceFile(**{**described.as_json(), "refused": too_large}), None)
    if looks_like_html(content) and not is_html_type(media_type):
        raise GiveUp(LOGIN_PAGE)
    return Collected(described, content)


def collect_evidence(client: WebClient, deps: Deps, payload: EvidenceCollection) -> Result:
    item, incident, channel = pending_item(deps, int(payload["item_id"]))
    if item.status is not Status.KEPT:
        collected: list[Collected] = []
        permalink = item.permalink
        if item.message is not None:
            found = client.chat_getPermalink(
                channel=item.message.channel_id, message_ts=item.message.ts
            )
            permalink = str(found.get("permalink") or "") or None
            record = message_record(item.message, permalink)
            name = f"message-{item.message.ts}.json"
            collected.append(
                Collected(
                    EvidenceFile(slack_id="", name=name, media_type="application/json"), record
                )
            )
        for f in item.files:
            collected.append(_fetch(client, f, deps.evidence_max_bytes))
        item = keep_collected(deps, item.id or 0, collected, permalink)
        log.info("%s: evidence %s kept (%d files)", incident.ref, item.ref, len(item.kept_files))
    if channel:
        client.chat_postEphemeral(
            channel=channel, user=item.added_by, text=kept_text(incident, item)
        )
    return {"item": item.ref}


def deliver_dossier(client: WebClient, deps: Deps, payload: DossierDelivery) -> Result:
    from leakbot.dossier.export import build_dossier
    from leakbot.slack.user_names import slack_names

    number, user = int(payload["number"]), str(payload["user"])
    try:
        made = build_dossier(deps, number, names=slack_names(client))
    except UserError:
        # Named without the file (its name may be confidential; this reason is logged).
        raise GiveUp(
            f"the dossier was not made: an evidence file is missing or altered in the store; "
            f"run `leakbot audit verify {number}`"
        ) from None
    dm = client.conversations_open(users=user)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        filename=made.name,
        content=made.content,
        title=made.name,
        initial_comment=(
            f"{made.ref}: the dossier ({len(made.files)} files, SHA-256 of each in "
            "manifest.json and SHA256SUMS; check it with `leakbot dossier verify`). "
            "Only you received it."
        ),
    )
    return {"file": made.name}
