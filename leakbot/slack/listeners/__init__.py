"""Listeners by feature; each module has ``register(app, rt)``."""

from __future__ import annotations

from slack_bolt import App

from leakbot.slack.listeners import (
    app_home,
    checklist_clicks,
    evidence_requests,
    notice_buttons,
    report_form,
    slash_command,
)
from leakbot.slack.runtime import SlackRuntime


def register_all(app: App, rt: SlackRuntime) -> None:
    for feature in (
        slash_command,
        report_form,
        checklist_clicks,
        notice_buttons,
        evidence_requests,
        app_home,
    ):
        feature.register(app, rt)
