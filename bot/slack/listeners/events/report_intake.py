"""A DM or a mention that reads as a report (bot.incidents.classify) is not filed at once: it gets an Offer,
「報告として受け付けますか？」 with the detected type and URL and the buttons 「報告する」 / 「質問でした」, in its
thread (a DM: in the DM). The Offer and its Delivery are stored on the ack path (``accept_offer``, in the
transaction that records the event id); the lazy listeners deliver it. Questions stay with Ask."""

from __future__ import annotations

import logging

from bot import incidents
from bot.errors import UserError
from bot.incidents import offers
from bot.slack.listeners.events.report_mention import is_report, message_key
from bot.slack.report_outbox import deliver_now
from bot.slack.text import to_plain, without_mentions

__all__ = ["accept_offer", "is_report", "offer_in_dm", "offer_in_thread", "offer_report", "wants_offer"]

log = logging.getLogger(__name__)


def _is_dm(event: dict) -> bool:
    from bot.slack.listeners.events.message_im import is_question_dm

    return event.get("type") == "message" and is_question_dm(event)


def wants_offer(body: dict) -> bool:
    event = body.get("event") or {}
    if body.get("type") != "event_callback" or not (event.get("channel") and event.get("ts")):
        return False
    return event.get("type") == "app_mention" or _is_dm(event)


def _make(event: dict, db=None) -> offers.Made | None:
    """The offer for a mention or DM event that reads as a report (None: it is a question)."""
    dm = event.get("type") == "message"
    text = to_plain(event.get("text", "") if dm else without_mentions(event.get("text", "")))
    try:
        report = incidents.classify(text)
    except UserError:
        return None
    if report is None:
        return None
    thread = event.get("thread_ts") or ("" if dm else event["ts"])  # a DM offer goes into the DM itself
    return offers.make(report, reporter=event.get("user", ""), channel=event["channel"], thread_ts=thread,
                       message_key=message_key(event["channel"], event["ts"]), source="dm" if dm else "mention", db=db)


def accept_offer(body: dict, db) -> dict:
    """Ack path: a mention or DM that reads as a report → its Offer and the offer message's Delivery."""
    made = _make(body["event"], db)
    if made is None:
        return {}
    return {"offer_id": made.offer.id, "offer_outbox": made.outbox_id}


def offer_report(event: dict, client, context=None, **_) -> None:
    """The lazy part (mention route and DM route): send the offer message stored on the ack path (or, if the
    ack path could not store it, store it now; a retry of a handled message sends nothing new)."""
    if context is not None and "offer_id" in context:
        outbox = context.get("offer_outbox")
    else:
        made = _make(event)
        outbox = made.outbox_id if made is not None else None
    deliver_now(client, outbox)


def offer_in_thread(event: dict, text: str, client, context=None) -> None:
    """MENTION_ROUTES handler: the offer in the mention's thread."""
    offer_report(event, client, context)


def offer_in_dm(event: dict, text: str, client, context=None) -> None:
    """DM_ROUTES handler: the offer in the DM."""
    offer_report(event, client, context)
