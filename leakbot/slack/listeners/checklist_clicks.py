"""Clicks on the checklist: complete (with an inputs modal when the step asks), reopen and
skip (with a reason). A refusal is told only to the person who clicked; nothing changes."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.errors import InvalidInputs, Refused
from leakbot.services import steps
from leakbot.slack import payloads
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.step_modals import reason_modal, step_inputs_modal
from leakbot.slack.ids import REASON_FIELD, Action, View
from leakbot.slack.intake import Asked
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    deps = rt.deps

    def start_complete(asked: Asked, number: int, step_id: str) -> None:
        incident, spec = steps.step_to_complete(deps, number, step_id, asked.user)
        if spec.inputs:
            view = step_inputs_modal(incident, spec, steps.prefill(deps, incident, spec))
            rt.open_modal(asked, view)
            return
        steps.complete_step(deps, number, step_id, asked.user)

    def ask_reason(asked: Asked, verb: str, number: int, step_id: str) -> None:
        incident, spec = steps.step_to_change(deps, number, step_id, asked.user)
        rt.open_modal(asked, reason_modal(incident, spec, verb))

    @rt.carries("step.click", trigger=True)
    def clicked(asked: Asked) -> None:
        verb, value = asked.args.get("verb"), str(asked.args.get("value") or "")
        if verb == "menu":
            chosen, number, step_id = payloads.menu_choice(value)
        else:
            chosen, (number, step_id) = str(verb), payloads.step_ref(value)
        if chosen == "complete":
            start_complete(asked, number, step_id)
        else:
            ask_reason(asked, chosen, number, step_id)

    def on_click(verb: str) -> Any:
        def handler(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
            if verb == "menu":
                value = (action.get("selected_option") or {}).get("value")
            else:
                value = action.get("value")
            rt.accept(ack, body, "step.click", {"verb": verb, "value": value})

        return handler

    app.action(Action.COMPLETE_STEP.value)(on_click("complete"))
    app.action(Action.REOPEN_STEP.value)(on_click("reopen"))
    app.action(Action.SKIP_STEP.value)(on_click("skip"))
    app.action(Action.STEP_MENU.value)(on_click("menu"))

    @rt.carries("step.inputs")
    def inputs_given(asked: Asked) -> None:
        a = asked.args
        steps.complete_step(deps, int(a["number"]), str(a["step_id"]), asked.user, a["raw"])

    @app.view(View.STEP_INPUTS.value)
    def submit_inputs(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        number, step_id, raw = payloads.step_inputs(view)
        try:
            # A mistake is answered inside the modal; everything else comes after the ack.
            steps.check_answers(rt.quick or deps, number, step_id, raw)
        except InvalidInputs as e:
            # The modal's own fields are the inputs it can show errors on.
            ack(response_action="errors", errors=payloads.input_errors(e.errors, list(raw)))
            return
        except Refused as e:
            rt.refuse(ack, body, messages.refusal(e.reason))
            return
        args = {"number": number, "step_id": step_id, "raw": raw}
        rt.accept(ack, body, "step.inputs", args)

    @rt.carries("step.reason")
    def reason_given(asked: Asked) -> None:
        a = asked.args
        use_case = steps.reopen_step if a["verb"] == "reopen" else steps.skip_step
        use_case(deps, int(a["number"]), str(a["step_id"]), asked.user, str(a["reason"]))

    @app.view(View.REASON.value)
    def submit_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        number, step_id, verb, reason = payloads.reason_submission(view)
        problem = payloads.reason_problem(reason)
        if problem:
            ack(response_action="errors", errors={REASON_FIELD: problem})
            return
        args = {"number": number, "step_id": step_id, "verb": verb, "reason": reason}
        rt.accept(ack, body, "step.reason", args)
