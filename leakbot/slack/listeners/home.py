"""App Home: the steps waiting on the viewer, and the open incidents."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from leakbot.services import queries
from leakbot.slack.blocks.home import home_view
from leakbot.slack.runtime import SlackRuntime


def register(app: App, rt: SlackRuntime) -> None:
    @app.event("app_home_opened")
    def home(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        incidents = queries.open_incidents(rt.deps)
        waiting = queries.waiting_on(rt.deps, user, incidents)
        view = home_view(incidents, waiting, rt.deps.tz)
        rt.worker.submit(rt.client.views_publish, user_id=user, view=view)
