"""`python -m bot serve --http` as a subprocess against the fake Slack, to be killed with SIGKILL."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests import learned_cache
from tests.fakeslack.api import BOT_TOKEN, SIGNING_SECRET, FakeSlackAPI
from tests.fakeslack.drivers import Ack, HttpDriver

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768+), where other test runs' client connections on
    the same machine cannot take it between this check and the server's bind."""
    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


class Served:
    def __init__(self, api: FakeSlackAPI, env: dict | None = None):
        self.api, self.extra = api, dict(env or {})
        self.proc: subprocess.Popen | None = None
        self.driver: HttpDriver | None = None

    def start(self, crash_at: str = "", **env) -> Served:
        for _ in range(5):  # another process may still take the port first: try another one
            if self._start(crash_at, **env):
                return self
        raise AssertionError("no free port for the served app")

    def _start(self, crash_at: str, **env) -> bool:
        port = free_port()
        full = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": self.api.url, "BOT_CRASH_AT": crash_at, **self.extra, **env}
        learned_cache.prime(full.get("BOT_DB"))
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                                      "--port", str(port)], cwd=ROOT, env=full, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "待ち受けています" not in line:
            err = self.proc.stderr.read()
            if "Address already in use" in err:
                self.proc.wait(5)
                return False
            raise AssertionError(err)
        self.driver = HttpDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        return True

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
