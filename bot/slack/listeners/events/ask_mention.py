"""A mention that is a question (Ask): the answer in the mention's thread."""

from __future__ import annotations

from bot.slack import flows
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import post_message
from bot.slack.wording import say


def reply_with_answer(event: dict, text: str, client, context=None) -> None:
    thread = event.get("thread_ts") or event["ts"]
    if not text.strip():
        msg = say("ask.j2", "mention_help")
        post_message(client, event["channel"], text_blocks(msg), msg, thread_ts=thread)
        return
    result, blocks = flows.answer(text, user=event.get("user", ""), source="mention")
    post_message(client, event["channel"], blocks, flows.answer_text(result), thread_ts=thread)
