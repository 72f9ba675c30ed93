"""Socket Mode (the default): the app opens a WebSocket to Slack (apps.connections.open through the same
Web API base URL) and acknowledges each envelope on it. No public URL is needed."""

from __future__ import annotations

import contextlib
import logging
import socket
import time

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot import config

log = logging.getLogger(__name__)


class Handler(SocketModeHandler):
    """Bolt's Socket Mode handler, with two guarantees: an envelope Bolt cannot read (e.g. block_actions
    without actions) or whose ack listener fails is still acknowledged (retrying it cannot help), while
    one the database could not store (503, bot.slack.dedupe) is not, so Slack delivers it again."""

    def handle(self, client, req) -> None:
        from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
        from slack_sdk.socket_mode.response import SocketModeResponse

        start = time.time()
        try:
            response = run_bolt_app(self.app, req)
        except Exception as err:  # noqa: BLE001
            log.warning("malformed envelope acknowledged: %s", type(err).__name__)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        if response.status == 500 or 400 <= response.status < 500:
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        send_response(client, req, response, start)


def make_handler(app: App, app_token: str) -> SocketModeHandler:
    """Pings every BOT_SOCKET_PING_S (2.5 s): a link without pongs for 4 intervals is dropped and a new
    one opened through apps.connections.open, so a frozen link is noticed within about 15 s.
    Own logger: connection events at INFO for administrators; serve never lets it log at DEBUG (the
    client's debug log would show message payloads)."""
    return Handler(app, app_token=app_token, web_client=app.client, ping_interval=config.socket_ping_s(),
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
