"""Notices from the checklist: the list, a file to one's DM, approval. Legal, the commander and
the roles a notice's template names (CONTRACT §5); anyone else is refused and gets nothing."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.incident import parse_ref
from leakbot.services import notices
from leakbot.slack import payloads
from leakbot.slack.blocks.notice_list import notices_message
from leakbot.slack.ids import PULL_NOTICE, Action
from leakbot.slack.intake import Asked
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    deps = rt.deps

    @rt.carries("notices.show")
    def show_them(asked: Asked) -> None:
        found = notices.list_notices(
            deps, parse_ref(str(asked.args.get("value") or "")), asked.user
        )
        msg = notices_message(found.incident, found.drafts, found.can_approve)
        rt.tell_to(asked.reply, msg.text, msg.blocks)

    @rt.carries("notice.pull")
    def pull_it(asked: Asked) -> None:
        draft_id, fmt = payloads.notice_ref(str(asked.args.get("value") or ""))
        draft = notices.pull_notice(deps, draft_id, asked.user, fmt)
        rt.tell_to(
            asked.reply, f"The {fmt} file of “{draft.title}” is on its way to your direct messages."
        )

    @rt.carries("notice.approve")
    def approve_it(asked: Asked) -> None:
        draft_id = payloads.draft_ref(str(asked.args.get("value") or ""))
        draft = notices.approve_notice(deps, draft_id, asked.user)
        rt.tell_to(asked.reply, f"Approved: “{draft.title}” version {draft.version} is now frozen.")

    @app.action(Action.SHOW_NOTICES.value)
    def show(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        rt.accept(ack, body, "notices.show", {"value": action.get("value")})

    @app.action(PULL_NOTICE)
    def pull(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        rt.accept(ack, body, "notice.pull", {"value": action.get("value")})

    @app.action(Action.APPROVE_NOTICE.value)
    def approve(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        rt.accept(ack, body, "notice.approve", {"value": action.get("value")})
