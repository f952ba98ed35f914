"""Notices from the checklist: the list, a file to one's DM, approval. Legal, the commander and
the roles a notice's template names (CONTRACT §5); anyone else is refused and gets nothing."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.incident import parse_ref
from leakbot.services import notices
from leakbot.slack import payloads
from leakbot.slack.blocks.notices import notices_message
from leakbot.slack.ids import PULL_NOTICE, Action
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    deps = rt.deps

    @app.action(Action.SHOW_NOTICES.value)
    def show(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()

        def work() -> None:
            user = body["user"]["id"]
            found = notices.list_notices(deps, parse_ref(action["value"]), user)
            can_approve = "legal" in deps.directory.roles_of(user)
            msg = notices_message(found.incident, found.drafts, can_approve)
            rt.tell(body, msg.text, msg.blocks)

        rt.after_ack(body, work)

    @app.action(PULL_NOTICE)
    def pull(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()

        def work() -> None:
            draft_id, fmt = payloads.notice_ref(action["value"])
            draft = notices.pull_notice(deps, draft_id, body["user"]["id"], fmt)
            rt.tell(
                body, f"The {fmt} file of “{draft.title}” is on its way to your direct messages."
            )

        rt.after_ack(body, work)

    @app.action(Action.APPROVE_NOTICE.value)
    def approve(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()

        def work() -> None:
            draft_id = payloads.draft_ref(action["value"])
            draft = notices.approve_notice(deps, draft_id, body["user"]["id"])
            rt.tell(body, f"Approved: “{draft.title}” version {draft.version} is now frozen.")

        rt.after_ack(body, work)
