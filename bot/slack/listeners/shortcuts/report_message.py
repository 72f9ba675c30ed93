"""Message shortcut 「なりすまし・炎上を報告」 (callback_id report_message): report the chosen message.
The user who used the shortcut is the reporter; the reply goes to the message's thread."""

from __future__ import annotations

import logging

from bot import incidents
from bot.slack import report_blocks as rb
from bot.slack.delivery import guarded, post_private
from bot.slack.listeners.events.report_mention import message_key
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now
from bot.slack.wording import say

REPORT_MESSAGE = "report_message"
log = logging.getLogger(__name__)


def wants_report_shortcut(body: dict) -> bool:
    return body.get("type") == "message_action" and body.get("callback_id") == REPORT_MESSAGE


def accept_report_shortcut(body: dict, db) -> dict:
    """Ack path: the reported message is stored as an incident (with its Delivery) before the ack."""
    user = (body.get("user") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id", "")
    message = body.get("message") or {}
    ts = message.get("ts")
    if not (user and channel and ts):
        return {}
    report = incidents.classify(message.get("text") or "", explicit=True)
    opened = incidents.submit(report, reporter=user, channel=channel, thread_ts=message.get("thread_ts") or ts,
                              event_id=message_key(channel, ts), db=db)
    return {"report_incident": opened.incident.id, "report_outbox": opened.outbox_id, "report_retry": opened.retry}


@guarded(notify=tell_interaction_user)
def report_message(body: dict, client, context=None) -> None:
    user = (body.get("user") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id", "")
    message = body.get("message") or {}
    ts = message.get("ts")
    if not (user and channel and ts):
        log.warning("report shortcut without user, channel or message ignored")
        return
    if context is not None and "report_retry" in context:  # stored on the ack path
        if context["report_retry"]:
            from bot.incidents import records

            incident = records.get(context["report_incident"])
            text = say("report.j2", "already_reported", incident=incident)
            post_private(client, channel, user, rb.text_blocks(text), text, response_url=body.get("response_url"))
            return
        deliver_now(client, context["report_outbox"])
        return
    key = message_key(channel, ts)
    report = incidents.classify(message.get("text") or "", explicit=True)
    opened = incidents.submit(report, reporter=user, channel=channel, thread_ts=message.get("thread_ts") or ts,
                              event_id=key)
    if opened.retry:
        text = say("report.j2", "already_reported", incident=opened.incident)
        post_private(client, channel, user, rb.text_blocks(text), text, response_url=body.get("response_url"))
        return
    deliver_now(client, opened.outbox_id)
