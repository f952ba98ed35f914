"""``/leak`` and its sub-commands (CONTRACT §5). Answers only the caller."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from leakbot.domain.errors import Refused
from leakbot.domain.incident import parse_ref
from leakbot.services import queries, steps
from leakbot.services.deps import Deps
from leakbot.services.evidence import list_evidence, request_dossier
from leakbot.services.notices import list_notices
from leakbot.slack import payloads
from leakbot.slack.blocks import messages
from leakbot.slack.blocks.evidence_views import evidence_list
from leakbot.slack.blocks.notice_list import notices_message
from leakbot.slack.blocks.report_modal import report_modal
from leakbot.slack.intake import Asked
from leakbot.slack.runtime import SlackRuntime


def report_view(rt: SlackRuntime) -> dict[str, Any]:
    """The report modal; it depends only on the config, so it is built once."""
    if rt.report_view is None:
        deps = rt.deps
        playbooks = [(p.id, p.name) for p in deps.playbooks.values()]
        rt.report_view = report_modal(deps.config.suppliers, playbooks).to_dict()
    return rt.report_view


def incident_number(deps: Deps, word: str | None, channel_id: str) -> int:
    """The incident a command names, or the one whose channel it was typed in."""
    if word:
        return parse_ref(word)
    incident = queries.incident_in_channel(deps, channel_id)
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
    ref = args[1] if len(args) > 1 else None
    given = {"new": found, "ref": ref, "channel": command.get("channel_id", "")}
    rt.accept(ack, command, "incident.commander", given)


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
    given = {"ref": ref, "reason": reason, "channel": command.get("channel_id", "")}
    rt.accept(ack, command, "incident.close", given)


def carriers(rt: SlackRuntime) -> None:
    """What the recorded ``/leak`` sub-commands do once acknowledged."""
    deps = rt.deps

    @rt.carries("report.open", trigger=True)
    def open_report(asked: Asked) -> None:
        rt.open_modal(asked, report_view(rt))

    @rt.carries("incident.commander")
    def commander(asked: Asked) -> None:
        a = asked.args
        number = incident_number(deps, a.get("ref"), str(a.get("channel") or ""))
        outcome = steps.hand_over(deps, number, asked.user, str(a["new"]))
        rt.tell_to(asked.reply, f"<@{a['new']}> now commands {outcome.incident.ref}.")

    @rt.carries("incident.close")
    def close_it(asked: Asked) -> None:
        a = asked.args
        number = incident_number(deps, a.get("ref"), str(a.get("channel") or ""))
        outcome = steps.close_incident(deps, number, asked.user, str(a["reason"]))
        rt.tell_to(asked.reply, f"{outcome.incident.ref} is closed.")


def dossier(rt: SlackRuntime, ack: Ack, command: dict[str, Any], word: str | None) -> None:
    """``/leak dossier [ID]``: the zip goes to the caller's DM (legal, security, commander)."""
    given = {"ref": word, "channel": command.get("channel_id", "")}
    rt.accept(ack, command, "incident.dossier", given)


def dossier_carrier(rt: SlackRuntime) -> None:
    @rt.carries("incident.dossier")
    def make_dossier(asked: Asked) -> None:
        a = asked.args
        number = incident_number(rt.deps, a.get("ref"), str(a.get("channel") or ""))
        incident = request_dossier(rt.deps, number, asked.user)
        rt.tell_to(
            asked.reply,
            f"The dossier of {incident.ref} is being made; it will arrive in your direct "
            "messages, for you alone.",
        )


def register(app: App, rt: SlackRuntime) -> None:
    carriers(rt)
    dossier_carrier(rt)
    deps = rt.quick or rt.deps  # read before the acknowledgement: the request path's engine

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
            rt.accept(ack, command, "report.open", {})
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
                incidents = queries.open_incidents(deps)
                msg = messages.incident_list(incidents, queries.channels_of(deps, incidents))
            elif sub == "status":
                seen = queries.status_of(deps, incident_number(deps, arg, channel), user)
                if not seen.involved:
                    # Outsiders learn only what /leak list shows: no title, no facts.
                    msg = messages.outsider_status(seen.incident)
                else:
                    msg = messages.status_message(seen.incident, deps.tz, seen.channel)
            elif sub == "notices":
                found = list_notices(deps, incident_number(deps, arg, channel), user)
                msg = notices_message(found.incident, found.drafts, found.can_approve)
            elif sub == "evidence":
                listed = list_evidence(deps, incident_number(deps, arg, channel), user)
                msg = evidence_list(listed.incident, listed.items, deps.tz)
            else:
                msg = messages.help_message()
        except Refused as e:
            ack(response_type="ephemeral", text=messages.refusal(e.reason))
            return
        ack(response_type="ephemeral", text=msg.text, blocks=msg.blocks)
