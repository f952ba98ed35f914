"""``leakbot socket``'s transport: Bolt's Socket Mode adapter on the app's own Web API client.

The same Bolt app (listeners, acknowledgement path, error handler) serves both transports; only
the way requests arrive differs. ``apps.connections.open`` goes through the app's ``WebClient``,
so ``SLACK_API_URL`` points the WebSocket URL request where every other Web API call goes.
"""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    return SocketModeHandler(app, app_token, web_client=app.client)
