"""Socket Mode (the default): the app opens a WebSocket to Slack (apps.connections.open through the same
Web API base URL) and acknowledges each envelope on it. No public URL is needed."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def make_handler(app: App, app_token: str) -> SocketModeHandler:
    return SocketModeHandler(app, app_token=app_token, web_client=app.client, ping_interval=10)
