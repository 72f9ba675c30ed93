"""A mention inside an incident's thread is an update of that incident, not a question: 「@bot Xに削除依頼を
出しました」 names the open step 「プラットフォームへ削除依頼」 and gets 「『…』を完了にしますか？」 with a button
(bot/slack/listeners/actions/step_offer.py); a mention that names no step gets a polite acknowledgement.
Either way the mention is kept in 経過 as a note. A new report in the thread (a URL that is not this incident's)
is still a new report. Stored on the ack path with the event id (a retried event adds nothing)."""

from __future__ import annotations

import logging

from bot import incidents
from bot.errors import UserError
from bot.incidents import changes, records, updates
from bot.slack.report_outbox import deliver_now
from bot.slack.text import to_plain, without_mentions

log = logging.getLogger(__name__)


def _incident(event: dict, db=None):
    thread = event.get("thread_ts")
    if not thread or thread == event.get("ts"):
        return None
    return updates.incident_in_thread(event.get("channel") or "", thread, db)


def _new_report(plain: str, incident) -> bool:
    """A report of something else (a URL that is not this incident's) opens its own incident."""
    try:
        report = incidents.classify(plain)
    except UserError:
        return False
    return report is not None and bool(report.urls) and incident.url not in report.urls


def in_incident_thread(event: dict, plain: str) -> bool:
    """Mention routing: the mention is in an incident's thread and is not a new report."""
    incident = _incident(event)
    return incident is not None and not _new_report(plain, incident)


def wants_update(body: dict) -> bool:
    event = body.get("event") or {}
    if body.get("type") != "event_callback" or event.get("type") != "app_mention":
        return False
    return in_incident_thread(event, to_plain(without_mentions(event.get("text", ""))))


def _record(event: dict, db) -> int | None:
    """The note in 経過 and the answer Delivery (step offer or acknowledgement); its outbox id."""
    incident = _incident(event, db)
    if incident is None:
        return None
    plain = to_plain(without_mentions(event.get("text", "")))
    user = event.get("user", "")
    changes.note(incident.id, plain, user, db=db)
    step = updates.matching_step(incident, plain) if incident.is_open else None
    if step is not None:
        extra = {"note": "offer",  # the step offer (stored note name, read by report_outbox._note)
                  "values": {"pos": step.pos, "user": user}}
    else:
        extra = {"note": "noted", "values": {"user": user}}
    return records.enqueue(incident.id, "note", incident.channel, event.get("thread_ts") or "", db, extra)


def accept_update(body: dict, db) -> dict:
    """Ack path: the note and the answer are stored with the event id."""
    return {"thread_update": _record(body["event"], db)}


def answer_update(event: dict, text: str, client, context=None, **_) -> None:
    """The mention route's handler: deliver the answer stored on the ack path (or store it now)."""
    if context is not None and "thread_update" in context:
        outbox = context["thread_update"]
    else:
        with records.transaction() as db:
            outbox = _record(event, db)
    if outbox is not None:
        deliver_now(client, outbox)
