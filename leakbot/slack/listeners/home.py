"""App Home: the steps waiting on the viewer, and the open incidents."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from slack_bolt import App

from leakbot.services import queries
from leakbot.slack.blocks.home import home_view
from leakbot.slack.runtime import SlackRuntime

#: Event ids remembered so that Slack's redelivery of an event (same ``event_id``, with
#: ``X-Slack-Retry-Num``) is not acted on twice by this process.
SEEN_EVENTS = 2000


class SeenEvents:
    """A bounded memory of the event ids already handled."""

    def __init__(self, size: int = SEEN_EVENTS) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str | None) -> bool:
        if not event_id:
            return True
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def register(app: App, rt: SlackRuntime) -> None:
    seen = SeenEvents()

    @app.event("app_home_opened")
    def home(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home" or not seen.first_time(body.get("event_id")):
            return
        user = event["user"]
        incidents = queries.open_incidents(rt.deps)
        waiting = queries.waiting_on(rt.deps, user, incidents)
        view = home_view(incidents, waiting, rt.deps.tz)
        rt.worker.submit(rt.client.views_publish, user_id=user, view=view)
