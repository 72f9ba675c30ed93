"""Socket Mode (the default): the app opens a WebSocket to Slack (apps.connections.open through the same
Web API base URL) and acknowledges each envelope on it. No public URL is needed."""

from __future__ import annotations

import contextlib
import logging
import socket

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def make_handler(app: App, app_token: str) -> SocketModeHandler:
    # Own logger: connection events at INFO for administrators; serve never lets it log at DEBUG
    # (the client's debug log would show message payloads).
    return SocketModeHandler(app, app_token=app_token, web_client=app.client, ping_interval=10,
                             logger=logging.getLogger("bot.slack.socket"))


def close_quickly(handler: SocketModeHandler) -> None:
    """Close without waiting out the client's blocking read and 1-second queue poll."""
    client = handler.client
    client.closed, client.auto_reconnect_enabled = True, False
    client.current_session_state.terminated = True
    sock = getattr(client.current_session, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # wakes the reader thread
    client.message_queue.put(None)  # wakes the message processor
    handler.close()
