"""The app factory and the wiring, in one place: which listeners are registered, how a mention is
routed (report vs question), what the Home tab shows besides the how-to, and what runs at start.
Nothing below bot.slack imports this module back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import SlackSettings
from bot.slack.client import make_client
from bot.slack.dedupe import dedupe_events, forget_old
from bot.slack.listeners import actions, commands, events, shortcuts, views
from bot.slack.listeners.events import report_mention
from bot.slack.listeners.events.app_home_opened import HomeSection
from bot.slack.listeners.events.app_mention import MentionRoute

log = logging.getLogger(__name__)

# A mention is tried against these in order; one that none accepts is a question (Ask).
MENTION_ROUTES: tuple[MentionRoute, ...] = (
    MentionRoute("report", report_mention.is_report, report_mention.open_report),
)

# Sections of the Home tab after the how-to: functions user_id -> blocks.
HOME_SECTIONS: tuple[HomeSection, ...] = (
    report_mention.home_section,  # the viewer's open incidents
)

# Run once when an app is created, after its listeners are registered. An error in one is logged by
# type and does not stop the start.
START_HOOKS: tuple[Callable[[App], None], ...] = (
    report_mention.flush_outbox_at_start,  # replies left in Report's outbox
)


def _on_error(error: Exception, logger) -> None:
    # Log the type only: an exception's text may quote a payload (and a payload may hold a draft).
    log.error("listener error: %s", type(error).__name__)


def register_listeners(app: App, *, mention_routes: Sequence[MentionRoute], home_sections: Sequence[HomeSection]) -> None:
    commands.register(app)
    events.register(app, mention_routes=mention_routes, home_sections=home_sections)
    actions.register(app)
    shortcuts.register(app)
    views.register(app)


def create_app(settings: SlackSettings, *, http: bool, client: WebClient | None = None,
               mention_routes: Sequence[MentionRoute] | None = None,
               home_sections: Sequence[HomeSection] | None = None,
               start_hooks: Sequence[Callable[[App], None]] | None = None) -> App:
    """A Bolt App for Socket Mode (``http=False``) or HTTP (``http=True``, requests are verified with
    SLACK_SIGNING_SECRET: bad or older than 5 minutes → 401). The wiring defaults to the tables above.

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
    register_listeners(app, mention_routes=MENTION_ROUTES if mention_routes is None else mention_routes,
                       home_sections=HOME_SECTIONS if home_sections is None else home_sections)
    forget_old()
    for hook in START_HOOKS if start_hooks is None else start_hooks:
        try:
            hook(app)
        except Exception as err:  # noqa: BLE001
            log.error("start hook %s failed: %s", getattr(hook, "__name__", hook), type(err).__name__)
    return app
