"""The app factory: one Bolt App with every listener kind registered (see listeners.KINDS)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import SlackSettings
from bot.slack.client import make_client
from bot.slack.dedupe import dedupe_events, forget_old
from bot.slack.listeners import register_all

log = logging.getLogger(__name__)

# Functions run once when an app is created, after its listeners are registered (e.g. Report sends
# replies left in its outbox). An error in one is logged by type and does not stop the start.
START_HOOKS: list[Callable[[App], None]] = []


def _on_error(error: Exception, logger) -> None:
    # Log the type only: an exception's text may quote a payload (and a payload may hold a draft).
    log.error("listener error: %s", type(error).__name__)


def create_app(settings: SlackSettings, *, http: bool, client: WebClient | None = None) -> App:
    """A Bolt App for Socket Mode (``http=False``) or HTTP (``http=True``, requests are verified with
    SLACK_SIGNING_SECRET: bad or older than 5 minutes → 401).

    process_before_response=True with lazy listeners: every ack function is tiny and runs inline, the
    work runs on a worker thread afterwards. Calls auth.test once (a rejected token fails here).
    """
    bolt_logger = logging.getLogger("bot.slack.bolt")
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret if http else None,
        request_verification_enabled=http,
        process_before_response=True,
        token_verification_enabled=True,
        logger=bolt_logger,
    )
    app.use(dedupe_events)
    app.error(_on_error)
    register_all(app)
    forget_old()
    for hook in START_HOOKS:
        try:
            hook(app)
        except Exception as err:  # noqa: BLE001
            log.error("start hook %s failed: %s", getattr(hook, "__name__", hook), type(err).__name__)
    return app


def stop_app(app: App, timeout: float = 10.0) -> None:
    """Graceful stop (SIGTERM): finish the listeners' work in hand, then stop the delivery worker after the
    Delivery it is sending; whatever is still pending stays in the database for the next start."""
    from bot.slack.report_outbox import stop_worker

    app.listener_runner.listener_executor.shutdown(wait=True, cancel_futures=False)
    if not stop_worker(app, timeout):
        log.warning("delivery worker still busy after %.0f s; its Delivery stays pending", timeout)
