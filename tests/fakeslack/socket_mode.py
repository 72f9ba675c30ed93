"""A fake Socket Mode server (WebSocket on 127.0.0.1, `websockets` package) paired with FakeSlackAPI."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import uuid

from websockets.asyncio.server import serve

from tests.fakeslack.api import APP_ID, FakeSlackAPI


class FakeSocketMode:
    """Registers its ws:// URL with the fake Web API (apps.connections.open answers it), greets each
    connection with Slack's ``hello``, sends envelopes and collects the app's acks by envelope_id."""

    def __init__(self, api: FakeSlackAPI):
        self.api = api
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._connections: list = []  # open connections, newest last
        self._acks: dict[str, dict] = {}
        self._cond = threading.Condition()
        self._n = itertools.count(1)
        self.connects = 0  # how many WebSocket connections were opened so far

    # ------------------------------------------------------------ lifecycle
    def start(self) -> FakeSocketMode:
        ready = threading.Event()

        def run():
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)

            async def main():
                self._server = await serve(self._on_connection, "127.0.0.1", 0, ping_interval=None)
                ready.set()
                await self._server.serve_forever()

            try:
                self._loop.run_until_complete(main())
            except asyncio.CancelledError:
                pass

        threading.Thread(target=run, name="fake-socket-mode", daemon=True).start()
        ready.wait(5)
        port = next(iter(self._server.sockets)).getsockname()[1]
        self.api.socket_url = f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4()}&app_id={APP_ID}"
        return self

    def stop(self) -> None:
        if self._loop and self._server:
            self._loop.call_soon_threadsafe(self._server.close)
            time.sleep(0.05)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    async def _on_connection(self, ws) -> None:
        with self._cond:
            self._connections.append(ws)
            self.connects += 1
            self._cond.notify_all()
        try:
            await ws.send(json.dumps({
                "type": "hello", "num_connections": 1,
                "debug_info": {"host": "fake-socket-mode", "build_number": 1, "approximate_connection_time": 18060},
                "connection_info": {"app_id": APP_ID},
            }))
            async for message in ws:
                try:
                    data = json.loads(message)
                except ValueError:
                    continue
                if isinstance(data, dict) and data.get("envelope_id"):
                    with self._cond:
                        self._acks[data["envelope_id"]] = data
                        self._cond.notify_all()
        except Exception:
            pass
        finally:
            with self._cond:
                if ws in self._connections:
                    self._connections.remove(ws)
                self._cond.notify_all()

    # ------------------------------------------------------------ driving
    def wait_connected(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._connections:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the app did not open a Socket Mode connection")
                self._cond.wait(left)

    def send(self, envelope: dict) -> str:
        """Send an envelope (built with the functions below) to the connected app; returns its envelope_id."""
        self.wait_connected()
        envelope.setdefault("envelope_id", f"{uuid.uuid4()}")
        ws = self._connections[-1]
        data = json.dumps(envelope, ensure_ascii=False)
        asyncio.run_coroutine_threadsafe(ws.send(data), self._loop).result(5)
        return envelope["envelope_id"]

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        """The app's acknowledgement ``{"envelope_id": ..., "payload": {...}?}``; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while envelope_id not in self._acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no ack for envelope {envelope_id}")
                self._cond.wait(left)
            return self._acks[envelope_id]

    def request_refresh(self) -> None:
        """Send Slack's ``disconnect`` message (reason refresh_requested): the app should open a new
        connection through apps.connections.open, as it must every few hours with real Slack."""
        self.wait_connected()
        ws = self._connections[-1]
        msg = {"type": "disconnect", "reason": "refresh_requested",
               "debug_info": {"host": "fake-socket-mode"}}
        asyncio.run_coroutine_threadsafe(ws.send(json.dumps(msg)), self._loop).result(5)

    def wait_connects(self, count: int, timeout: float = 5.0) -> None:
        """Block until ``count`` connections have been opened in total."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.connects < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.connects} connection(s) opened, expected {count}")
                self._cond.wait(left)

    def drop_connections(self) -> None:
        """Close every open connection (the app's client reconnects by itself)."""
        for ws in list(self._connections):
            asyncio.run_coroutine_threadsafe(ws.close(), self._loop).result(5)


# ---------------------------------------------------------------- envelopes, in Slack's format

def events_api(body: dict, retry_attempt: int = 0, retry_reason: str = "") -> dict:
    return {"envelope_id": str(uuid.uuid4()), "payload": body, "type": "events_api",
            "accepts_response_payload": False, "retry_attempt": retry_attempt, "retry_reason": retry_reason}


def slash_commands(payload: dict) -> dict:
    return {"envelope_id": str(uuid.uuid4()), "payload": payload, "type": "slash_commands",
            "accepts_response_payload": True}


def interactive(payload: dict) -> dict:
    accepts = payload.get("type") in ("view_submission", "block_suggestion")
    return {"envelope_id": str(uuid.uuid4()), "payload": payload, "type": "interactive",
            "accepts_response_payload": accepts}
