"""`python -m bot serve --http` as a subprocess against the fake Slack, to be killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.fakeslack.api import BOT_TOKEN, SIGNING_SECRET, FakeSlackAPI
from tests.fakeslack.drivers import Ack, HttpDriver

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, api: FakeSlackAPI, env: dict | None = None):
        self.api, self.extra = api, dict(env or {})
        self.proc: subprocess.Popen | None = None
        self.driver: HttpDriver | None = None

    def start(self, crash_at: str = "", **env) -> Served:
        port = free_port()
        full = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": self.api.url, "BOT_CRASH_AT": crash_at, **self.extra, **env}
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                                      "--port", str(port)], cwd=ROOT, env=full, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert "待ち受けています" in line, self.proc.stderr.read()
        self.driver = HttpDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        return self

    def send(self, kind: str, payload: dict, **kw) -> Ack | None:
        """Deliver a request; None when the app died before answering."""
        try:
            return getattr(self.driver, kind)(payload, **kw)
        except OSError:
            return None

    def wait_dead(self, timeout: float = 5.0) -> int:
        return self.proc.wait(timeout)

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.alive:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def terminate(self, timeout: float = 10.0) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def stop(self) -> None:
        if self.alive:
            self.kill()
        for stream in (self.proc.stdout, self.proc.stderr) if self.proc else ():
            stream.close()


def until(predicate, timeout: float = 8.0, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
