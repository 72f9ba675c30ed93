"""Crash points for the fault-injection tests: with BOT_CRASH_AT=<name> the process kills itself
(SIGKILL, like kill -9) when it reaches that point. Unset in production: a no-op."""

from __future__ import annotations

import os
import signal

from bot import config


def crash_point(name: str) -> None:
    if config.crash_point() == name:
        os.kill(os.getpid(), signal.SIGKILL)
