"""Reminders in Slack: the ticker (a start hook) that queues what bot.incidents.reminders finds due, and the
wording of each kind of reminder, rendered when its Delivery is sent (report_outbox, kind ``remind``).

``CLOCK`` is the time source of the ticker (tests replace it); ``RENDERERS`` maps a reminder kind to
``render(client, incident, extra) -> (blocks, text)`` — another area adds its kind here."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timezone

from bot import config, incidents, store
from bot.delivery import Worker
from bot.incidents import records
from bot.incidents import reminders as core
from bot.incidents import types as report_types
from bot.slack.blocks.common import text_blocks
from bot.slack.wording import say

log = logging.getLogger(__name__)

CLOCK: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # noqa: E731


def _labels() -> dict[str, str]:
    return {t.id: t.label for t in report_types.load().types}


def _link(client, incident) -> str:
    """Link to the incident's thread, or "" (chat.getPermalink failed or gave something odd)."""
    if not (incident.channel and incident.thread_ts):
        return ""
    try:
        link = str(client.chat_getPermalink(channel=incident.channel, message_ts=incident.thread_ts)
                   .get("permalink") or "")
    except Exception as err:  # noqa: BLE001 - a reminder without a link is still useful
        log.warning("incident %s: no permalink for a reminder (%s)", incident.id, type(err).__name__)
        return ""
    return link if link.startswith("https://") and not set("<>|") & set(link) else ""


def _stalled(client, incident, extra):
    if not incident.is_open:
        return None, ""  # closed or withdrawn meanwhile
    values = extra.get("values") or {}
    hours = values.get("hours", "")
    hours = int(hours) if isinstance(hours, float) and hours.is_integer() else hours
    text = say("report.j2", "reminder_stalled", i=incident, label=_labels().get(incident.type, incident.type),
               hours=hours, next_step=incidents.next_step(incident), owner=incident.owner,
               link=_link(client, incident))
    return text_blocks(text), say("report.j2", "reminder_stalled_text", i=incident)


def _weekly(client, incident, extra):
    items = records.all_incidents(open_only=True)
    if not items:
        return None, ""
    now = CLOCK()
    ages = {i.id: max(1, (now - datetime.fromisoformat(i.created)).days + 1) for i in items}
    text = say("report.j2", "weekly_summary", items=items, labels=_labels(),
               next_steps={i.id: incidents.next_step(i) for i in items},
               links={i.id: _link(client, i) for i in items}, ages=ages)
    return text_blocks(text), say("report.j2", "weekly_summary_text", count=len(items))


RENDERERS: dict[str, Callable] = {core.STALLED: _stalled, core.WEEKLY: _weekly}


def render(client, incident, extra: dict):
    """(blocks, text) of a reminder Delivery; (None, "") when there is nothing to say any more."""
    renderer = RENDERERS.get(extra.get("reminder", ""))
    if renderer is None:
        log.warning("reminder kind %s has no wording; dropped", extra.get("reminder"))
        return None, ""
    return renderer(client, incident, extra)


# --- the ticker ---------------------------------------------------------------------------------------


def tick_once(now: datetime | None = None, wake: Callable[[], None] | None = None) -> list[int]:
    """Queue the reminders due now and wake the delivery workers (``wake``); the outbox ids queued."""
    queued = core.run(now or CLOCK())
    if queued and wake is not None:
        wake()
    return queued


def start_ticker(app, wake: Callable[[], None] | None = None) -> Worker:
    """Start hook: look for due reminders every BOT_REMIND_POLL_S seconds in the background (the database
    the app started with); ``wake`` wakes the delivery workers when something was queued."""
    path = str(store.db().conn.execute("pragma database_list").fetchone()[2] or config.db_path())

    def run_pass(at_start: bool, stop: threading.Event):
        if not at_start:  # the first look waits one interval (a restart is no reason to remind)
            tick_once(wake=wake)
        return None

    worker = Worker(run_pass, poll_s=config.reminders().poll_s, name="reminder-ticker", bind=lambda: store.bind(path))
    app._reminder_ticker = worker
    return worker.start()


def stop_ticker(app, timeout: float = 10.0) -> bool:
    worker = getattr(app, "_reminder_ticker", None)
    return worker.stop(timeout) if worker else True
