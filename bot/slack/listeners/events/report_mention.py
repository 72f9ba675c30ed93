"""A mention that is a report (「@bot Xで町の偽アカウントを見つけました https://x.com/…」): store the
incident, then reply in the report's thread with the tagged heads, the clauses and the checklist.
Questions stay with Ask (bot.incidents.classify returns None for them)."""

from __future__ import annotations

import logging

from bot import incidents
from bot.errors import UserError
from bot.incidents import directory
from bot.slack.blocks.home import open_incidents_section
from bot.slack.listeners.events.ask_mention import reply_with_answer
from bot.slack.report_outbox import deliver_now, deliver_pending_for, start_worker
from bot.slack.text import to_plain, without_mentions

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


def open_report(event: dict, text: str, client, context=None, **_) -> None:
    report = incidents.classify(to_plain(text))
    if report is None:  # routing said report; be safe if the knowledge changed in between
        return reply_with_answer(event=event, text=text, client=client, context=context)
    opened = incidents.submit(
        report,
        reporter=event.get("user", ""),
        channel=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
        message_key=message_key(event["channel"], event["ts"]),
    )
    if opened.retry:  # stored on the ack path (or handled before): send what is still pending
        deliver_pending_for(client, opened.incident.id)
        return
    deliver_now(client, opened.outbox_id)


def wants_report(body: dict) -> bool:
    event = body.get("event") or {}
    return body.get("type") == "event_callback" and event.get("type") == "app_mention" \
        and bool(event.get("channel") and event.get("ts"))


def accept_report(body: dict, db) -> dict:
    """Ack path: a mention that is a report is stored (incident + its Delivery) in the transaction that
    records the event id, before Slack gets its ack."""
    event = body["event"]
    text = without_mentions(event.get("text", ""))  # the same test as the "report" mention route
    report = incidents.classify(to_plain(text))
    if report is None:
        return {}
    opened = incidents.submit(report, reporter=event.get("user", ""), channel=event["channel"],
                              thread_ts=event.get("thread_ts") or event["ts"],
                              message_key=message_key(event["channel"], event["ts"]), db=db)
    return {"report_incident": opened.incident.id}


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
