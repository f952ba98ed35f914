"""Evidence in Slack: the checklist's "Add evidence" (a modal with files, addresses, when it
was seen and a note) and the "Add to evidence" message shortcut. The incident's roles and its
commander may add; anyone else is told why, privately, and nothing is recorded.

Each of the three requests is recorded in the inbox before it is acknowledged (kinds
``evidence.open``, ``evidence.add``, ``evidence.message``) and carried out after, so an
acknowledged addition survives a crash; a replay of the same request adds nothing.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.errors import InvalidInputs, Refused
from leakbot.services import evidence
from leakbot.slack import payloads
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.evidence_views import evidence_modal, recording_text
from leakbot.slack.ids import Action, Shortcut, View
from leakbot.slack.intake import Asked
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    deps = rt.deps
    max_mb = deps.evidence_max_bytes / (1024 * 1024)

    @rt.carries("evidence.open", trigger=True)
    def open_form(asked: Asked) -> None:
        number = payloads.incident_number(str(asked.args.get("value") or ""))
        incident = evidence.incident_to_add_to(deps, number, asked.user)
        rt.open_modal(asked, evidence_modal(incident, max_mb))

    @app.action(Action.ADD_EVIDENCE.value)
    def open_modal(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        rt.accept(ack, body, "evidence.open", {"value": action.get("value")})

    @rt.carries("evidence.add")
    def add(asked: Asked) -> None:
        # The form as Slack sent it, read again: the same reading as before the ack.
        view = asked.args.get("view") or {}
        number, form = payloads.evidence_form(view)
        evidence.add_evidence(deps, number, asked.user, form, key=f"view:{view.get('id')}")

    @app.view(View.EVIDENCE.value)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            _, form = payloads.evidence_form(view)
            evidence.check_evidence_form(deps, form)
        except InvalidInputs as e:
            ack(response_action="errors", errors=payloads.evidence_errors(e.errors))
            return
        except Refused as e:  # an out-of-date form: told, nothing recorded
            rt.refuse(ack, body, messages.refusal(e.reason))
            return
        kept = {k: view.get(k) for k in ("id", "private_metadata", "state")}
        rt.accept(ack, body, "evidence.add", {"view": kept})

    @rt.carries("evidence.message")
    def add_message(asked: Asked) -> None:
        channel, message, files = payloads.shortcut_message(asked.args)
        item = evidence.add_message(
            deps, channel, asked.user, message, files, key=f"message:{channel}:{message.ts}"
        )
        rt.tell_to(asked.reply, recording_text(item.ref))

    @app.shortcut(Shortcut.ADD_TO_EVIDENCE.value)
    def from_message(ack: Ack, body: dict[str, Any]) -> None:
        try:
            payloads.shortcut_message(body)
        except Refused as e:  # not a message leakbot can read: told, nothing recorded
            rt.refuse(ack, body, messages.refusal(e.reason))
            return
        args = {"channel": body.get("channel"), "message": body.get("message")}
        rt.accept(ack, body, "evidence.message", args)
