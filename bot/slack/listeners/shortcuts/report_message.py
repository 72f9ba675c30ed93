"""Message shortcut 「なりすまし・炎上を報告」 (callback_id report_message): report the chosen message.
The user who used the shortcut is the reporter; the reply goes to the message's thread."""

from __future__ import annotations

import logging

from bot import incidents
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import guarded, post_private
from bot.slack.listeners.common import interaction
from bot.slack.listeners.events.report_mention import message_key
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now
from bot.slack.wording import say

log = logging.getLogger(__name__)


@guarded(notify=tell_interaction_user)
def report_message(body: dict, client) -> None:
    who = interaction(body)
    user, channel, message = who.user, who.channel, who.message
    ts = message.get("ts")
    if not (user and channel and ts):
        log.warning("report shortcut without user, channel or message ignored")
        return
    key = message_key(channel, ts)
    report = incidents.classify(message.get("text") or "", explicit=True)
    opened = incidents.submit(report, reporter=user, channel=channel, thread_ts=message.get("thread_ts") or ts,
                              message_key=key)
    if opened.retry:
        text = say("report.j2", "already_reported", incident=opened.incident)
        post_private(client, channel, user, text_blocks(text), text, response_url=who.response_url)
        return
    deliver_now(client, opened.outbox_id)
