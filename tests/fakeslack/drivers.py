"""How a test delivers a request to the app: over signed HTTP, or as a Socket Mode envelope.
Both return an ``Ack`` so tests read the same in either mode."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.fakeslack import socket_mode as sm


@dataclass
class Ack:
    status: int  # HTTP status (Socket Mode: 200 once acked)
    payload: dict | None  # the ack's JSON body (e.g. {"response_action": "errors", ...}), if any
    seconds: float  # time from sending to the acknowledgement


def sign(secret: str, body: str, timestamp: int | None = None) -> dict:
    """Slack's v0 signature headers for ``body`` (HMAC-SHA256 over ``v0:{ts}:{body}``)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    sig = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}


class HttpDriver:
    mode = "http"

    def __init__(self, url: str, signing_secret: str):
        self.url, self.secret = url, signing_secret

    def post(self, body: str, content_type: str, headers: dict | None = None, signed: bool = True,
             timestamp: int | None = None, secret: str | None = None) -> Ack:
        all_headers = {"Content-Type": content_type, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
        if signed:
            all_headers.update(sign(secret or self.secret, body, timestamp))
        all_headers.update(headers or {})
        req = urllib.request.Request(self.url, data=body.encode(), headers=all_headers, method="POST")
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                status, raw = resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read().decode()
        took = time.perf_counter() - start
        try:
            payload = json.loads(raw) if raw.strip().startswith("{") else None
        except ValueError:
            payload = None
        return Ack(status, payload, took)

    def event(self, body: dict, retry_num: int | None = None, **kw) -> Ack:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(json.dumps(body, ensure_ascii=False), "application/json", headers=headers, **kw)

    def command(self, form: dict, **kw) -> Ack:
        return self.post(urlencode(form), "application/x-www-form-urlencoded", **kw)

    def interactive(self, payload: dict, **kw) -> Ack:
        return self.post(urlencode({"payload": json.dumps(payload, ensure_ascii=False)}),
                         "application/x-www-form-urlencoded", **kw)


class SocketDriver:
    mode = "socket"

    def __init__(self, server: sm.FakeSocketMode):
        self.server = server

    def _send(self, envelope: dict) -> Ack:
        start = time.perf_counter()
        eid = self.server.send(envelope)
        ack = self.server.wait_ack(eid)
        return Ack(200, ack.get("payload"), time.perf_counter() - start)

    def event(self, body: dict, retry_num: int | None = None) -> Ack:
        return self._send(sm.events_api(body, retry_attempt=retry_num or 0, retry_reason="timeout" if retry_num else ""))

    def command(self, form: dict) -> Ack:
        return self._send(sm.slash_commands(form))

    def interactive(self, payload: dict) -> Ack:
        return self._send(sm.interactive(payload))
