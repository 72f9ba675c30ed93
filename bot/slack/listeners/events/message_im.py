"""A direct message to the bot is a question (Ask), also when it carries a file (subtype file_share; a
file alone gets a hint to ask in words). Other message events (channels, edits, the bot's own messages)
are acknowledged and ignored."""

from __future__ import annotations

from bot.slack import flows
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import guarded, post_message
from bot.slack.listeners.notify import tell_event_user
from bot.slack.wording import say

QUESTION_SUBTYPES = {None, "file_share"}  # a plain message, or one with a file attached


def is_question_dm(event: dict) -> bool:
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in QUESTION_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


@guarded(notify=tell_event_user)
def answer_direct_message(event: dict, client) -> None:
    if not is_question_dm(event):
        return
    if event.get("files") and not (event.get("text") or "").strip():
        msg = say("ask.j2", "file_only")
        post_message(client, event["channel"], text_blocks(msg), msg, thread_ts=event.get("thread_ts"))
        return
    result, blocks = flows.answer(event.get("text", ""), user=event["user"], source="dm")
    post_message(client, event["channel"], blocks, flows.answer_text(result), thread_ts=event.get("thread_ts"))
