"""Listeners by feature; each module has ``register(app, rt)``."""

from __future__ import annotations

from slack_bolt import App

from leakbot.slack.listeners import checklist, commands, evidence, home, notices, report
from leakbot.slack.runtime import SlackRuntime


def register_all(app: App, rt: SlackRuntime) -> None:
    for feature in (commands, report, checklist, notices, evidence, home):
        feature.register(app, rt)
