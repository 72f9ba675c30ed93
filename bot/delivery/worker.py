"""The delivery worker: a background thread that delivers what is due, at start and then whenever a
Delivery becomes due (or ``wake()`` is called), so a recovered Slack is reached with no other activity."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

# run_pass(at_start, stop_event) -> seconds until the next Delivery is due (None: nothing pending); it
# should return early once stop_event is set
Pass = Callable[[bool, threading.Event], "float | None"]


class Worker:
    def __init__(self, run_pass: Pass, poll_s: float = 1.0, name: str = "delivery-worker",
                 bind: Callable[[], None] | None = None):
        self._run_pass, self._poll_s, self._bind = run_pass, poll_s, bind
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> Worker:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop after the Delivery in hand (what is pending stays for the next start). True if stopped."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        if self._bind:
            self._bind()
        at_start = True
        while not self._stop.is_set():
            self._wake.clear()
            try:
                next_due = self._run_pass(at_start, self._stop)
                at_start = False
            except Exception as err:  # noqa: BLE001 - the worker never dies (database busy, bug): try again
                log.error("delivery pass failed: %s", type(err).__name__)
                next_due = self._poll_s
            wait = self._poll_s if next_due is None else max(0.01, min(self._poll_s, next_due))
            self._wake.wait(wait)
