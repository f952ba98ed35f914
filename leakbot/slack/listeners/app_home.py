"""App Home: the steps waiting on the viewer, and the open incidents.

Opening the tab is recorded like any request (Slack's redelivery of the event finds its
``event_id`` taken); the worker reads the incidents and publishes the view."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from leakbot.services import queries
from leakbot.slack.blocks.home_tab import home_view
from leakbot.slack.intake import Asked
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    @rt.carries("home.publish")
    def publish(asked: Asked) -> None:
        user = str(asked.args["user"])
        incidents = queries.open_incidents(rt.deps)
        waiting = queries.waiting_on(rt.deps, user, incidents)
        rt.client.views_publish(user_id=user, view=home_view(incidents, waiting, rt.deps.tz))

    @app.event("app_home_opened")
    def home(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        # Bolt has acknowledged the event already: nothing to answer.
        rt.accept(lambda: None, body, "home.publish", {"user": event["user"]})
