"""Evidence in Slack: the checklist's "Add evidence" (a modal with files, addresses, when it
was seen and a note) and the "Add to evidence" message shortcut. The incident's roles and its
commander may add; anyone else is told why, privately, and nothing is recorded."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.errors import InvalidInputs, Refused
from leakbot.domain.permissions import require_evidence_adder
from leakbot.services import evidence, queries
from leakbot.slack import payloads
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.evidence import evidence_modal
from leakbot.slack.ids import Action, Shortcut, View
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    deps = rt.deps
    max_mb = deps.evidence_max_bytes / (1024 * 1024)

    @app.action(Action.ADD_EVIDENCE.value)
    def open_modal(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()

        def work() -> None:
            user = body["user"]["id"]
            incident = queries.get_incident(deps, payloads.incident_number(action["value"]))
            require_evidence_adder(user, deps.directory.roles_of(user), incident)
            view = evidence_modal(incident, max_mb)
            rt.client.views_open(trigger_id=body["trigger_id"], view=view)

        rt.after_ack(body, work)

    @app.view(View.EVIDENCE.value)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        try:
            number, form = payloads.evidence_form(view)
            evidence.check_evidence_form(deps, form)
        except InvalidInputs as e:
            ack(response_action="errors", errors=payloads.evidence_errors(e.errors))
            return
        except Refused as e:  # an out-of-date form: told, nothing recorded
            ack()
            rt.tell(body, messages.refusal(e.reason))
            return
        ack()
        rt.after_ack(
            body, lambda: evidence.add_evidence(deps, number, user, form, key=f"view:{view['id']}")
        )

    @app.shortcut(Shortcut.ADD_TO_EVIDENCE.value)
    def from_message(ack: Ack, body: dict[str, Any]) -> None:
        ack()

        def work() -> None:
            channel, message, files = payloads.shortcut_message(body)
            item = evidence.add_message(
                deps,
                channel,
                body["user"]["id"],
                message,
                files,
                key=f"message:{channel}:{message.ts}",
            )
            rt.tell(body, f"The message is being recorded as evidence {item.ref}.")

        rt.after_ack(body, work)
