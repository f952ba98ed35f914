"""The report modal's submission: checked, recorded, acknowledged; Slack work follows."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.errors import InvalidInputs
from leakbot.services.reporting import check_form, report_incident
from leakbot.slack import payloads
from leakbot.slack.blocks.step_modals import working_view
from leakbot.slack.ids import Action, View
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    @app.view(View.REPORT.value)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        deps = rt.quick or rt.deps  # before the acknowledgement: the request path's engine
        form = payloads.report_form(view["state"]["values"])
        try:
            check_form(deps, form)
        except InvalidInputs as e:
            ack(response_action="errors", errors=payloads.report_errors(e.errors))
            return
        # The use case itself is the record before the acknowledgement (it is quick and lets
        # the modal name the incident): the same submission again (a replay) finds its
        # incident by the view's id and records nothing. Every Web API call comes after the
        # acknowledgement, from the outbox. If the database fails, the app's error handler
        # answers on the modal's first field that nothing was recorded.
        reported = report_incident(deps, form, body["user"]["id"], f"view:{view['id']}")
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
        rt.accept(ack, body, "report.open", {})
