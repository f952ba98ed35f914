"""``/leak`` and its sub-commands (CONTRACT §5). Answers only the caller."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.errors import Refused
from leakbot.domain.incident import parse_ref
from leakbot.domain.permissions import is_involved
from leakbot.services import queries, steps
from leakbot.services.evidence import list_evidence, request_dossier
from leakbot.services.notices import list_notices
from leakbot.slack import payloads
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.evidence import evidence_list
from leakbot.slack.blocks.notices import notices_message
from leakbot.slack.blocks.report import report_modal
from leakbot.slack.runtime import SlackRuntime


def open_report(rt: SlackRuntime, trigger_id: str) -> None:
    """Open the report modal after the acknowledgement (the trigger id lives 3 seconds). The
    modal depends only on the config, so it is built once."""
    if rt.report_view is None:
        deps = rt.deps
        playbooks = [(p.id, p.name) for p in deps.playbooks.values()]
        rt.report_view = report_modal(deps.config.suppliers, playbooks).to_dict()
    rt.worker.submit(rt.client.views_open, trigger_id=trigger_id, view=rt.report_view)


def incident_number(rt: SlackRuntime, word: str | None, channel_id: str) -> int:
    """The incident a command names, or the one whose channel it was typed in."""
    if word:
        return parse_ref(word)
    incident = queries.incident_in_channel(rt.deps, channel_id)
    if incident is None:
        raise Refused("Name the incident (e.g. `LEAK-12`), or type this in its channel.")
    return incident.number


def hand_over(rt: SlackRuntime, ack: Ack, command: dict[str, Any], args: list[str]) -> None:
    """``/leak commander @person [ID]``: the commander hands the incident over."""
    found = payloads.mentioned_user(args[0]) if args else None
    if found is None:
        ack(
            response_type="ephemeral",
            text=messages.refusal("Name the new commander: `/leak commander @person [ID]`."),
        )
        return
    ack()
    new, user = found, command["user_id"]

    def work() -> None:
        number = incident_number(rt, args[1] if len(args) > 1 else None, command["channel_id"])
        outcome = steps.hand_over(rt.deps, number, user, new)
        rt.tell(command, f"<@{new}> now commands {outcome.incident.ref}.")

    rt.after_ack(command, work)


def close(rt: SlackRuntime, ack: Ack, command: dict[str, Any], args: list[str]) -> None:
    """``/leak close [ID] <reason>``: the commander closes an incident before its end."""
    ref: str | None = None
    if args:
        try:
            parse_ref(args[0])
            ref, args = args[0], args[1:]
        except Refused:
            pass  # the first word is the reason's
    try:
        reason = payloads.close_reason(args)
    except Refused as e:
        ack(response_type="ephemeral", text=messages.refusal(e.reason))
        return
    ack()
    user = command["user_id"]

    def work() -> None:
        number = incident_number(rt, ref, command["channel_id"])
        outcome = steps.close_incident(rt.deps, number, user, reason)
        rt.tell(command, f"{outcome.incident.ref} is closed.")

    rt.after_ack(command, work)


def dossier(rt: SlackRuntime, ack: Ack, command: dict[str, Any], word: str | None) -> None:
    """``/leak dossier [ID]``: the zip goes to the caller's DM (legal, security, commander)."""
    ack()
    user = command["user_id"]

    def work() -> None:
        number = incident_number(rt, word, command["channel_id"])
        incident = request_dossier(rt.deps, number, user)
        rt.tell(
            command,
            f"The dossier of {incident.ref} is being made; it will arrive in your direct "
            "messages, for you alone.",
        )

    rt.after_ack(command, work)


def register(app: App, rt: SlackRuntime) -> None:
    @app.command("/leak")
    def leak(ack: Ack, command: dict[str, Any]) -> None:
        try:
            words = payloads.command_words(command)
        except Refused as e:
            ack(response_type="ephemeral", text=messages.refusal(e.reason))
            return
        sub = words[0].lower() if words else "report"
        arg = words[1] if len(words) > 1 else None
        user, channel = command["user_id"], command.get("channel_id", "")
        if sub == "report":
            ack()
            open_report(rt, command["trigger_id"])
            return
        if sub == "commander":
            hand_over(rt, ack, command, words[1:])
            return
        if sub == "close":
            close(rt, ack, command, words[1:])
            return
        if sub == "dossier":
            dossier(rt, ack, command, arg)
            return
        try:
            if sub == "list":
                incidents = queries.open_incidents(rt.deps)
                msg = messages.incident_list(incidents, queries.channels_of(rt.deps, incidents))
            elif sub == "status":
                incident = queries.get_incident(rt.deps, incident_number(rt, arg, channel))
                if not is_involved(user, rt.deps.directory.roles_of(user), incident):
                    # Outsiders learn only what /leak list shows: no title, no facts.
                    msg = messages.outsider_status(incident)
                else:
                    msg = messages.status_message(
                        incident,
                        rt.deps.tz,
                        queries.channels_of(rt.deps, [incident]).get(incident.number),
                    )
            elif sub == "notices":
                found = list_notices(rt.deps, incident_number(rt, arg, channel), user)
                can_approve = "legal" in rt.deps.directory.roles_of(user)
                msg = notices_message(found.incident, found.drafts, can_approve)
            elif sub == "evidence":
                listed = list_evidence(rt.deps, incident_number(rt, arg, channel), user)
                msg = evidence_list(listed.incident, listed.items, rt.deps.tz)
            else:
                msg = messages.help_message()
        except Refused as e:
            ack(response_type="ephemeral", text=messages.refusal(e.reason))
            return
        ack(response_type="ephemeral", text=msg.text, blocks=msg.blocks)
