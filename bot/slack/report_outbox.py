"""Delivering Report's outbox to Slack: the thread reply, the duplicate notice, and chat.update after a
click. Messages are rendered from the incident's current state at send time. A failed send (Slack
error after slack_sdk's retries, 429, crash) leaves the message pending; `serve` delivers what is
pending once at start, and every new report also retries what is still pending."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import incidents
from bot.incidents import records
from bot.incidents import types as report_types
from bot.incidents.model import OutboxMessage
from bot.slack.blocks import report as rb
from bot.slack.blocks.common import to_dicts
from bot.slack.delivery import error_code
from bot.slack.ids import THREAD_UNREACHABLE

log = logging.getLogger(__name__)



class SendError(Exception):
    """Delivery failed; the message stays in the outbox. str() is the Slack error code."""


def sender(client: WebClient):
    def send(msg: OutboxMessage) -> str:
        try:
            return _send(client, msg)
        except (SlackApiError, SlackClientError) as err:
            raise SendError(error_code(err)) from None

    return send


def _post(client: WebClient, channel: str, thread_ts: str, blocks, text: str) -> str:
    resp = client.chat_postMessage(channel=channel, thread_ts=thread_ts or None, blocks=to_dicts(blocks), text=text,
                                   unfurl_links=False, unfurl_media=False)
    return str(resp.get("ts") or "")


def _permalink(client: WebClient, incident) -> str:
    """Link to the incident's thread (the report message), or "" when Slack cannot give one."""
    if not (incident.channel and incident.thread_ts):
        return ""
    try:
        return str(client.chat_getPermalink(channel=incident.channel, message_ts=incident.thread_ts).get("permalink") or "")
    except (SlackApiError, SlackClientError) as err:
        log.warning("incident %s: no permalink (%s)", incident.id, error_code(err))
        return ""


def _send(client: WebClient, msg: OutboxMessage) -> str:
    incident = records.get(msg.incident)
    if incident is None:
        return ""  # deleted meanwhile: nothing to say
    if msg.kind == "reply":
        reply = incidents.reply_for(incident)
        blocks, text = rb.reply_blocks(reply), rb.reply_text(reply)
        try:
            return _post(client, msg.channel, msg.thread_ts, blocks, text)
        except SlackApiError as err:
            if error_code(err) not in THREAD_UNREACHABLE:
                raise
            log.warning("incident %s: thread unreachable (%s); replying by direct message", incident.id, error_code(err))
            ts = _post(client, incident.reporter, "", blocks, text)
            records.set_reply_channel(incident.id, incident.reporter)
            return ts
    if msg.kind == "duplicate":
        labels = {t.id: t.label for t in report_types.load().types}
        reporter = msg.extra.get("reporter", "")
        blocks, text = rb.duplicate_blocks(incident, labels.get(incident.type, incident.type), reporter,
                                           _permalink(client, incident))
        try:
            return _post(client, msg.channel, msg.thread_ts, blocks, text)
        except SlackApiError as err:
            if error_code(err) not in THREAD_UNREACHABLE or not reporter:
                raise
            return _post(client, reporter, "", blocks, text)
    if msg.kind == "update":
        if not incident.reply_ts:
            return ""  # the reply is not out yet; when it is sent it shows the current state
        reply = incidents.reply_for(incident)
        client.chat_update(channel=incident.reply_channel or incident.channel, ts=incident.reply_ts,
                           blocks=to_dicts(rb.reply_blocks(reply)), text=rb.updated_text(reply))
        return incident.reply_ts
    log.warning("outbox %s has unknown kind %s; dropped", msg.id, msg.kind)
    return ""


def deliver_now(client: WebClient, message_id: int | None) -> bool:
    """Send one message right away (after a report or a click), then anything else still pending."""
    sent = message_id is None or incidents.deliver(message_id, sender(client))
    if sent and records.pending(limit=1):  # Slack answers again: retry what an earlier failure left
        incidents.flush(sender(client))
    return sent and message_id is not None


def flush_at_start(client: WebClient) -> tuple[int, int]:
    """Deliver every pending message once (called by `serve` at start); (sent, still pending)."""
    sent, left = incidents.flush(sender(client), at_start=True)
    if sent or left:
        log.info("outbox at start: %d sent, %d still pending", sent, left)
    return sent, left
