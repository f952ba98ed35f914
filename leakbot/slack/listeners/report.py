"""The report modal's submission: checked, recorded, acknowledged; Slack work follows."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.errors import InvalidInputs
from leakbot.services.reporting import check_form, report_incident
from leakbot.slack import payloads
from leakbot.slack.blocks.steps import working_view
from leakbot.slack.ids import Action, View
from leakbot.slack.listeners.commands import open_report
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    @app.view(View.REPORT.value)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = payloads.report_form(view["state"]["values"])
        try:
            check_form(rt.deps, form)
        except InvalidInputs as e:
            ack(response_action="errors", errors=payloads.report_errors(e.errors))
            return
        # The database write comes before the acknowledgement (it is quick and lets the modal
        # name the incident); every Web API call comes after it, from the outbox.
        reported = report_incident(rt.deps, form, body["user"]["id"], f"view:{view['id']}")
        ref = reported.incident.ref
        ack(
            response_action="update",
            view=working_view(
                f"{ref} recorded",
                f"*{ref}* is recorded. Its private channel, with the checklist, is being opened "
                "and you will be invited; if Slack is slow, it follows as soon as Slack answers.",
            ),
        )

    @app.action(Action.OPEN_REPORT.value)
    def open_from_home(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        open_report(rt, body["trigger_id"])
