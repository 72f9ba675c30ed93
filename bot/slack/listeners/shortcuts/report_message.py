"""Message shortcut 「なりすまし・炎上を報告」 (callback_id report_message): report the chosen message.
The user who used the shortcut is the reporter; the reply goes to the message's thread. The incident is
stored on the ack path (``accept_report_shortcut``); the lazy listener delivers."""

from __future__ import annotations

import logging

from bot import incidents
from bot.incidents import records
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import guarded, post_private
from bot.slack.ids import REPORT_MESSAGE
from bot.slack.listeners.common import interaction
from bot.slack.listeners.events.report_mention import message_key
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now
from bot.slack.wording import say

log = logging.getLogger(__name__)


def wants_report_shortcut(body: dict) -> bool:
    return body.get("type") == "message_action" and body.get("callback_id") == REPORT_MESSAGE


def accept_report_shortcut(body: dict, db) -> dict:
    """Ack path: the reported message is stored as an incident (with its Delivery) before the ack."""
    who = interaction(body)
    ts = who.message.get("ts")
    if not (who.user and who.channel and ts):
        return {}
    report = incidents.classify(who.message.get("text") or "", explicit=True)
    opened = incidents.submit(report, reporter=who.user, channel=who.channel,
                              thread_ts=who.message.get("thread_ts") or ts, message_key=message_key(who.channel, ts), db=db)
    return {"report_incident": opened.incident.id, "report_outbox": opened.outbox_id, "report_retry": opened.retry}


def _already_reported(client, who, incident) -> None:
    text = say("report.j2", "already_reported", incident=incident)
    post_private(client, who.channel, who.user, text_blocks(text), text, response_url=who.response_url)


@guarded(notify=tell_interaction_user)
def report_message(body: dict, client, context=None) -> None:
    who = interaction(body)
    user, channel, message = who.user, who.channel, who.message
    ts = message.get("ts")
    if not (user and channel and ts):
        log.warning("report shortcut without user, channel or message ignored")
        return
    if context is not None and "report_retry" in context:  # stored on the ack path
        if context["report_retry"]:
            return _already_reported(client, who, records.get(context["report_incident"]))
        deliver_now(client, context["report_outbox"])
        return
    key = message_key(channel, ts)
    report = incidents.classify(message.get("text") or "", explicit=True)
    opened = incidents.submit(report, reporter=user, channel=channel, thread_ts=message.get("thread_ts") or ts,
                              message_key=key)
    if opened.retry:
        return _already_reported(client, who, opened.incident)
    deliver_now(client, opened.outbox_id)
