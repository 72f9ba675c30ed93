"""Report pieces shared by the listeners: whether a message reads as a report, the key of a reported
message, the Home section of open incidents and the delivery worker's start hook. A DM or mention that
reads as a report is offered first (events/report_intake.py); questions stay with Ask."""

from __future__ import annotations

import logging

from bot import incidents
from bot.errors import UserError
from bot.incidents import directory
from bot.slack.blocks.home import open_incidents_section
from bot.slack.report_outbox import start_worker

log = logging.getLogger(__name__)


def is_report(text: str) -> bool:
    """Mention routing: True when the (mention-free) text reports an incident. If the report knowledge
    file is broken, mentions are answered as questions (and the problem is logged) rather than lost."""
    try:
        return incidents.classify(text) is not None
    except UserError as err:
        log.error("report classification unavailable: %s", err)
        return False


def message_key(channel: str, ts: str) -> str:
    """Idempotency key of a report: the reported Slack message. Every retry of its event (same
    event_id, X-Slack-Retry-Num) and a shortcut on the same message carry the same channel and ts."""
    return f"{channel}:{ts}"


def home_section(user: str, client=None) -> list:
    """App Home: the viewer's open incidents (総務課 members get every open one from soumu_home instead)."""
    from bot.incidents import types as report_types

    try:
        d = directory.current()
    except directory.DirectoryError as err:
        log.warning("directory unusable for the Home tab: %s", err.message)
        d = None
    if d is not None and d.is_general_affairs(user):
        return []  # bot.slack.listeners.events.soumu_home lists them all, with links, owners and ages
    items = incidents.open_incidents_for(user, d)
    labels = {t.id: t.label for t in report_types.load().types}
    return open_incidents_section(items, labels, {i.id: incidents.next_step(i) for i in items},
                           general_affairs=bool(d and d.is_general_affairs(user)))


def flush_outbox_at_start(app) -> None:
    """Start hook: the delivery worker delivers what a Slack error, a crash or a restart left pending
    (at once, taking over an earlier run's claims), then retries what fails, in the background."""
    start_worker(app)
