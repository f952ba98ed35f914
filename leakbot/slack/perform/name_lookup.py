"""A person's name for the notices (``users.info``), remembered once asked. A name is a
nicety: a refusal is noted and never reported to a commander."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leakbot.services.deps import Deps
from leakbot.services.outbox import GiveUp, Result
from leakbot.services.owed_work import PersonLookup
from leakbot.services.people import remember_name
from leakbot.slack.payloads import person_name
from leakbot.slack.perform.slack_answers import classify, error_code
from leakbot.slack.posting import Once


def lookup_person(
    client: WebClient, deps: Deps, payload: PersonLookup, once: Once
) -> Result | None:
    user = str(payload["user"])
    try:
        resp = client.users_info(user=user)
    except SlackApiError as e:
        code = error_code(e)
        if code in ("user_not_found", "user_not_visible"):
            remember_name(deps, user, None)
            return {"skipped": code}
        problem = classify(e)
        if isinstance(problem, GiveUp):
            raise GiveUp(problem.reason, tell_commander=False) from e
        raise problem from e
    remember_name(deps, user, person_name(resp.get("user") or {}))
    return None
