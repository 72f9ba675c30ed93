"""The app factory and the wiring, in one place: which listeners are registered, how a mention is
routed (report vs question), what the Home tab shows besides the how-to, and what runs at start.
Nothing below bot.slack imports this module back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import SlackSettings
from bot.incidents import reminders as reminder_core
from bot.incidents import takedowns
from bot.slack import reminders
from bot.slack.client import make_client
from bot.slack.dedupe import Acceptor, accept_then_ack, forget_old
from bot.slack.listeners import actions, commands, events, shortcuts, views
from bot.slack.listeners.actions import report_close, report_incident, report_steps, step_offer, takedown_recheck
from bot.slack.listeners.actions import report_confirm as offer_click
from bot.slack.listeners.events import report_intake, report_mention, report_thread, soumu_home
from bot.slack.listeners.events.app_home_opened import HomeSection
from bot.slack.listeners.events.app_mention import MentionRoute
from bot.slack.listeners.views import (
    notice_modal,
    report_modal,
    report_withdraw,
    takedown_modal,
    takedown_recheck_modal,
)
from bot.slack.report_outbox import wake_all

log = logging.getLogger(__name__)

# A mention is tried against these in order; one that none accepts is a question (Ask).
MENTION_ROUTES: tuple[MentionRoute, ...] = (
    # in an incident's thread: an update of that incident (offer to tick the step it names, else a note)
    MentionRoute("incident_thread", lambda text: False, report_thread.answer_update,
                 event_test=report_thread.in_incident_thread),
    MentionRoute("report", report_intake.is_report, report_intake.offer_in_thread),  # 「報告として受け付けますか？」
)

# The same for a direct message to the bot.
DM_ROUTES: tuple[MentionRoute, ...] = (
    MentionRoute("report", report_intake.is_report, report_intake.offer_in_dm),  # 「報告として受け付けますか？」 in the DM
)

# Sections of the Home tab after the how-to: functions user_id -> blocks.
HOME_SECTIONS: tuple[HomeSection, ...] = (
    report_mention.home_section,  # the viewer's open incidents (staff outside 総務課)
    soumu_home.incidents_section,  # 総務課: every open incident with its thread link, owner, age, next step
    soumu_home.questions,  # 総務課: the latest unanswered questions and 👎 answers of Ask
)

# Work stored before the ack, in the transaction that records the event id (accepted means stored).
def _offer_outside_incident_threads(body: dict) -> bool:
    return report_intake.wants_offer(body) and not report_thread.wants_update(body)


ACCEPTORS: tuple[Acceptor, ...] = (
    # a mention in an incident's thread → a note in 経過 + the answer Delivery (not a report offer)
    Acceptor(report_thread.wants_update, report_thread.accept_update),
    Acceptor(_offer_outside_incident_threads, report_intake.accept_offer),  # a DM or mention that reads as a report → Offer + Delivery
    Acceptor(offer_click.wants_offer_click, offer_click.accept_offer_click),  # 「報告する」 → incident + Deliveries
    Acceptor(report_modal.wants_report_submission, report_modal.accept_report_submission),  # the report modal → incident + Delivery
    Acceptor(report_steps.wants_click, report_steps.accept_click),  # a checklist click → tick + update Delivery
    Acceptor(report_close.wants_confirm, report_close.accept_confirm),  # 「完了にする」 after the confirmation
    Acceptor(step_offer.wants_step_offer, step_offer.accept_step_offer),  # the step offer in a thread → tick
    Acceptor(report_incident.wants_change, report_incident.accept_change),  # 担当する / 担当を外れる / 種類を訂正
    Acceptor(report_withdraw.wants_withdraw, report_withdraw.accept_withdraw),  # the 取り下げ modal → withdrawn
    Acceptor(notice_modal.wants_account, notice_modal.accept_account),  # 総務課's account name for the drafts
    Acceptor(takedown_modal.wants_takedown, takedown_modal.accept_takedown),  # a takedown request + tick + update
    Acceptor(takedown_recheck.wants_removed, takedown_recheck.accept_removed),  # 「削除を確認した」 + update Delivery
    Acceptor(takedown_recheck_modal.wants_remaining, takedown_recheck_modal.accept_remaining),  # 「まだ残っている」 + next date
)

# Reminder sources beyond the stalled incidents and the weekly summary (bot.incidents.reminders), each with
# its wording (bot.slack.reminders.RENDERERS); the ticker (a start hook) runs them during office hours.
EXTRA_REMINDERS: tuple[tuple[str, Callable, Callable], ...] = (
    (takedowns.RECHECK, takedowns.recheck_reminders, takedown_recheck.render_reminder),  # 削除されたか確認してください
)
for _kind, _source, _render in EXTRA_REMINDERS:
    if _source not in reminder_core.REMINDER_SOURCES:
        reminder_core.REMINDER_SOURCES.append(_source)
    reminders.RENDERERS.setdefault(_kind, _render)

# Run once when an app is created, after its listeners are registered. An error in one is logged by
# type and does not stop the start.
START_HOOKS: tuple[Callable[[App], None], ...] = (
    report_mention.flush_outbox_at_start,  # the delivery worker: Report's outbox, at start and in the background
    lambda app: reminders.start_ticker(app, wake=wake_all),  # reminders (office hours only) → the outbox
)


def _on_error(error: Exception, logger) -> None:
    # Log the type only: an exception's text may quote a payload (and a payload may hold a draft).
    log.error("listener error: %s", type(error).__name__)


def register_listeners(app: App, *, mention_routes: Sequence[MentionRoute], home_sections: Sequence[HomeSection],
                       dm_routes: Sequence[MentionRoute] = DM_ROUTES) -> None:
    commands.register(app)
    events.register(app, mention_routes=mention_routes, home_sections=home_sections, dm_routes=dm_routes)
    actions.register(app)
    shortcuts.register(app)
    views.register(app)


def create_app(settings: SlackSettings, *, http: bool, client: WebClient | None = None,
               mention_routes: Sequence[MentionRoute] | None = None,
               home_sections: Sequence[HomeSection] | None = None,
               dm_routes: Sequence[MentionRoute] | None = None,
               start_hooks: Sequence[Callable[[App], None]] | None = None,
               acceptors: Sequence[Acceptor] | None = None) -> App:
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
    app.use(accept_then_ack(ACCEPTORS if acceptors is None else acceptors))
    app.error(_on_error)
    register_listeners(app, mention_routes=MENTION_ROUTES if mention_routes is None else mention_routes,
                       home_sections=HOME_SECTIONS if home_sections is None else home_sections,
                       dm_routes=DM_ROUTES if dm_routes is None else dm_routes)
    forget_old()
    for hook in START_HOOKS if start_hooks is None else start_hooks:
        try:
            hook(app)
        except Exception as err:  # noqa: BLE001
            log.error("start hook %s failed: %s", getattr(hook, "__name__", hook), type(err).__name__)
    return app


def stop_app(app: App, timeout: float = 10.0) -> None:
    """Graceful stop (SIGTERM): finish the listeners' work in hand, then stop the delivery worker after the
    Delivery it is sending; whatever is still pending stays in the database for the next start."""
    from bot.slack.reminders import stop_ticker
    from bot.slack.report_outbox import stop_worker

    stop_ticker(app, timeout)
    app.listener_runner.listener_executor.shutdown(wait=True, cancel_futures=False)
    if not stop_worker(app, timeout):
        log.warning("delivery worker still busy after %.0f s; its Delivery stays pending", timeout)
