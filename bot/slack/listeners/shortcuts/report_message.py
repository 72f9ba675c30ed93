"""Message shortcut 「なりすまし・炎上を報告」 (callback_id report_message): ack, then open the report modal
(views.open with the trigger_id) with the type preselected from the message's words, an optional note and the
message's link (chat.getPermalink, else the archives URL) and URLs. Nothing is filed here: the modal's
submission files it (listeners/views/report_modal.py); cancelling files nothing. A message already reported
gets 「既に報告されています」 with a link to its incident's thread instead of the modal."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot import incidents
from bot.errors import UserError
from bot.incidents import records
from bot.incidents import types as report_types
from bot.incidents.urls import report_urls
from bot.slack.blocks.common import text_blocks
from bot.slack.blocks.report import report_modal
from bot.slack.delivery import error_code, guarded, post_private
from bot.slack.ids import REPORT_MESSAGE
from bot.slack.listeners.common import interaction
from bot.slack.listeners.events.report_mention import message_key
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import archives_url, thread_link
from bot.slack.wording import say

log = logging.getLogger(__name__)


def wants_report_shortcut(body: dict) -> bool:
    return body.get("type") == "message_action" and body.get("callback_id") == REPORT_MESSAGE


def _tell(client, who, text: str) -> None:
    post_private(client, who.channel, who.user, text_blocks(text), text, response_url=who.response_url)


def _message_link(client, body: dict, channel: str, ts: str, thread_ts: str) -> str:
    try:
        link = client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or ""
        if link:
            return str(link)
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("no permalink for the reported message (%s); archives URL used", error_code(err))
    return archives_url(body, channel, ts, thread_ts)


@guarded(notify=tell_interaction_user)
def report_message(body: dict, client, context=None) -> None:
    who = interaction(body)
    user, channel, message = who.user, who.channel, who.message
    ts = str(message.get("ts") or "")
    if not (user and channel and ts):
        log.warning("report shortcut without user, channel or message ignored")
        return
    seen = records.incident_for_message(message_key(channel, ts))
    if seen is not None:
        return _tell(client, who, say("report.j2", "already_reported_link", incident=seen,
                                      link=thread_link(client, seen, body)))
    text = message.get("text") or ""
    try:
        knowledge = report_types.load()
        preselected = incidents.classify(text, explicit=True).type
    except UserError as err:
        log.error("report types unavailable: %s", err)
        return _tell(client, who, say("common.j2", "internal_error"))
    urls: tuple[str, ...] = ()
    for url in report_urls(text)[0]:  # as many as private_metadata (3,000 characters) comfortably holds
        if sum(len(u) + 4 for u in (*urls, url)) > 2000:
            break
        urls = (*urls, url)
    thread_ts = str(message.get("thread_ts") or "")
    link = _message_link(client, body, channel, ts, thread_ts)
    metadata = {"channel": channel, "ts": ts, "thread_ts": thread_ts or ts, "urls": list(urls)}
    view = report_modal(knowledge.types, preselected, link, urls, metadata)
    try:
        client.views_open(trigger_id=body.get("trigger_id"), view=view)
    except (SlackApiError, SlackClientError, OSError) as err:
        code = error_code(err)
        log.warning("views.open failed: %s", code)
        _tell(client, who, say("common.j2", "send_failed", code=code))
