"""👍/👎 under an answer: store the vote (question, clause ids, vote, user, time), then replace the
buttons with a thank-you so the same message is not voted on twice."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.feedback import record_feedback
from bot.slack.blocks.ask import parse_feedback_value, replace_feedback
from bot.slack.blocks.common import context_blocks, to_dicts
from bot.slack.delivery import error_code, guarded, respond_ephemeral
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say

log = logging.getLogger(__name__)


@guarded(notify=tell_interaction_user)
def record_vote(body: dict, action: dict, client) -> None:
    vote = "up" if action["action_id"].endswith("_up") else "down"
    try:
        question, clause_ids = parse_feedback_value(action.get("value") or "")
    except (ValueError, TypeError, AttributeError):
        log.warning("feedback button with a malformed value ignored")
        return
    who = interaction(body)
    if not who.user:
        return
    record_feedback(question, clause_ids, vote, who.user)
    thanks = say("ask.j2", "thanks", vote=vote)
    container = body.get("container") or {}
    message_blocks = who.message.get("blocks")
    if container.get("is_ephemeral") or not message_blocks:
        url = who.response_url
        if url:
            if message_blocks:
                respond_ephemeral(url, replace_feedback(message_blocks, vote), thanks, replace_original=True)
            else:
                respond_ephemeral(url, to_dicts(context_blocks(thanks)), thanks, replace_original=False)
        return
    try:
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"],
                           blocks=replace_feedback(message_blocks, vote), text=thanks)
    except (SlackApiError, SlackClientError) as err:
        log.warning("chat.update failed: %s", error_code(err))
