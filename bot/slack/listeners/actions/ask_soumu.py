"""「総務課に聞く」 under an answer: record the escalation, post the question as the asker wrote it to
総務課's channel (BOT_SOUMU_CHANNEL) with the one-click label, and tell the asker it was sent."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot import config
from bot.search import escalation
from bot.search.index import current_index
from bot.slack.blocks import ask as abk
from bot.slack.blocks.common import context_blocks, to_dicts
from bot.slack.delivery import error_code, guarded, post_message, respond_ephemeral
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say

log = logging.getLogger(__name__)


def _tell(body: dict, client, note: str) -> None:
    """Replace the button in the asker's message with ``note`` (ephemeral answers: via response_url)."""
    container = body.get("container") or {}
    blocks = (body.get("message") or {}).get("blocks")
    if container.get("is_ephemeral") or not blocks:
        url = body.get("response_url")
        if url:
            respond_ephemeral(url, to_dicts(context_blocks(note)), note, replace_original=False)
        return
    try:
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"],
                           blocks=abk.replace_soumu_button(blocks, note), text=note)
    except (SlackApiError, SlackClientError) as err:
        log.warning("chat.update failed: %s", error_code(err))


@guarded(notify=tell_interaction_user)
def ask_soumu(body: dict, action: dict, client) -> None:
    try:
        question = abk.parse_soumu_value(action.get("value") or "")
    except (ValueError, TypeError, AttributeError):
        log.warning("総務課 button with a malformed value ignored")
        return
    channel = config.soumu_channel()
    if not channel:
        _tell(body, client, say("ask.j2", "soumu_unavailable"))
        return
    esc = escalation.open_escalation(question, (body.get("user") or {}).get("id", ""))
    blocks = abk.soumu_question_blocks(esc.id, esc.question, current_index().guideline.clauses)
    try:
        resp = client.chat_postMessage(channel=channel, blocks=to_dicts(blocks), text=say("ask.j2", "soumu_question", text=esc.question)[:3000],
                                       unfurl_links=False, unfurl_media=False)
    except (SlackApiError, SlackClientError) as err:
        log.warning("posting to 総務課 failed: %s", error_code(err))
        _tell(body, client, say("ask.j2", "soumu_send_failed"))
        return
    escalation.posted(esc.id, resp.get("channel") or channel, resp.get("ts") or "")
    _tell(body, client, say("ask.j2", "soumu_sent"))


@guarded()
def label_question(body: dict, action: dict, client) -> None:
    """総務課 picks a clause (or 範囲外) for the question: a learned example from the next question on."""
    try:
        eid, label = abk.parse_label_value((action.get("selected_option") or {}).get("value", ""))
    except ValueError:
        log.warning("label menu with a malformed value ignored")
        return
    guideline = current_index().guideline
    clause = guideline.get(label)
    if label != abk.OUT_OF_SCOPE and clause is None:
        log.warning("label for an unknown clause ignored")
        return
    user = (body.get("user") or {}).get("id", "")
    if escalation.label(eid, label, user) is None:
        return
    note = say("ask.j2", "soumu_labelled", label=label, title=clause.title if clause else "", user=user)
    container = body.get("container") or {}
    blocks = (body.get("message") or {}).get("blocks") or []
    try:
        client.chat_update(channel=container.get("channel_id"), ts=container.get("message_ts"),
                           blocks=abk.replace_label_menu(blocks, note), text=note)
    except (SlackApiError, SlackClientError) as err:
        log.warning("chat.update failed: %s", error_code(err))
        post_message(client, container.get("channel_id"), context_blocks(note), note,
                     thread_ts=container.get("message_ts"))
