"""HTTP mode: every event, command and interaction arrives at ``POST /slack/events``.

A small threaded server from the standard library hands each request to Bolt (which verifies the
signature and answers 401 when it is bad or stale) and writes Bolt's acknowledgement back.
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest

PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000
log = logging.getLogger(__name__)


def make_handler(app: App) -> type[BaseHTTPRequestHandler]:
    class SlackEventsHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "urausu-sns-bot"

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            if url.path != PATH:
                return self._send(404, b"Not Found")
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return self._send(400, b"Bad Request")
            if length < 0 or length > MAX_BODY_BYTES:
                return self._send(413, b"Payload Too Large")
            raw = self.rfile.read(length)
            try:
                body = raw.decode("utf-8")
                request = BoltRequest(body=body, query=url.query,
                                      headers={k.lower(): self.headers.get_all(k) for k in self.headers.keys()})
            except Exception as err:  # noqa: BLE001 - malformed body
                log.warning("malformed request refused: %s", type(err).__name__)
                return self._send(400, b"Bad Request")
            try:
                response = app.dispatch(request)
            except Exception as err:  # noqa: BLE001 - never let one request kill the server
                log.error("dispatch failed: %s", type(err).__name__)
                return self._send(500, b"Internal Server Error")
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
            self._send(response.status, (response.body or "").encode("utf-8"), headers)

        def do_GET(self) -> None:
            if urlsplit(self.path).path == "/healthz":
                return self._send(200, b"ok")
            self._send(404, b"Not Found")

        def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            for key, values in (headers or {"content-type": ["text/plain; charset=utf-8"]}).items():
                for value in values if isinstance(values, list | tuple) else [values]:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:
            pass  # no access log: nothing about requests is written anywhere

    return SlackEventsHandler


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog (5) makes bursts wait for a 1 s SYN retry


def make_server(app: App, host: str = "0.0.0.0", port: int = 3000) -> SlackHTTPServer:
    return SlackHTTPServer((host, port), make_handler(app))


def serve_in_thread(server: SlackHTTPServer, poll_interval: float = 0.5) -> threading.Thread:
    """Serve on a daemon thread; ``poll_interval`` bounds how long ``server.shutdown()`` waits."""
    thread = threading.Thread(target=server.serve_forever, args=(poll_interval,), name="slack-http", daemon=True)
    thread.start()
    return thread
