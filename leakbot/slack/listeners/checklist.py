"""Clicks on the checklist: complete (with an inputs modal when the step asks), reopen and
skip (with a reason). A refusal is told only to the person who clicked; nothing changes."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain import rules
from leakbot.domain.errors import InvalidInputs, Refused
from leakbot.domain.permissions import require_step_actor
from leakbot.services import queries, steps
from leakbot.slack import payloads
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.steps import reason_modal, step_inputs_modal
from leakbot.slack.ids import REASON_FIELD, Action, View
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    deps = rt.deps

    def start_complete(body: dict[str, Any], number: int, step_id: str) -> None:
        user = body["user"]["id"]
        incident = queries.get_incident(deps, number)
        spec = rules.check_can_act(incident, step_id, user, deps.directory.roles_of(user))
        if spec.inputs:
            view = step_inputs_modal(incident, spec, steps.prefill(deps, incident, spec))
            rt.client.views_open(trigger_id=body["trigger_id"], view=view)
            return
        steps.complete_step(deps, number, step_id, user)

    def ask_reason(body: dict[str, Any], verb: str, number: int, step_id: str) -> None:
        user = body["user"]["id"]
        incident = queries.get_incident(deps, number)
        spec = incident.playbook.step(incident.state(step_id).step_id)
        require_step_actor(spec, user, deps.directory.roles_of(user), incident)
        view = reason_modal(incident, spec, verb)
        rt.client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_click(verb: str) -> Any:
        def handler(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
            ack()

            def work() -> None:
                if verb == "menu":
                    chosen, number, step_id = payloads.menu_choice(
                        action["selected_option"]["value"]
                    )
                else:
                    chosen, (number, step_id) = verb, payloads.step_ref(action["value"])
                if chosen == "complete":
                    start_complete(body, number, step_id)
                else:
                    ask_reason(body, chosen, number, step_id)

            rt.after_ack(body, work)

        return handler

    app.action(Action.COMPLETE_STEP.value)(on_click("complete"))
    app.action(Action.REOPEN_STEP.value)(on_click("reopen"))
    app.action(Action.SKIP_STEP.value)(on_click("skip"))
    app.action(Action.STEP_MENU.value)(on_click("menu"))

    @app.view(View.STEP_INPUTS.value)
    def submit_inputs(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        number, step_id, raw = payloads.step_inputs(view)
        try:
            # A mistake is answered inside the modal; everything else comes after the ack.
            steps.check_answers(deps, number, step_id, raw)
        except InvalidInputs as e:
            # The modal's own fields are the inputs it can show errors on.
            ack(response_action="errors", errors=payloads.input_errors(e.errors, list(raw)))
            return
        except Refused as e:
            ack()
            rt.tell(body, messages.refusal(e.reason))
            return
        ack()
        rt.after_ack(body, lambda: steps.complete_step(deps, number, step_id, user, raw))

    @app.view(View.REASON.value)
    def submit_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        number, step_id, verb, reason = payloads.reason_submission(view)
        problem = payloads.reason_problem(reason)
        if problem:
            ack(response_action="errors", errors={REASON_FIELD: problem})
            return
        ack()
        use_case = steps.reopen_step if verb == "reopen" else steps.skip_step
        rt.after_ack(body, lambda: use_case(deps, number, step_id, user, reason))
