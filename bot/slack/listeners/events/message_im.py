"""A direct message to the bot is a question (Ask). Other message events (channels, edits, the bot's own
messages) are acknowledged and ignored."""

from __future__ import annotations

from bot.slack import flows
from bot.slack.delivery import guarded, post_message
from bot.slack.listeners.notify import tell_event_user


def is_question_dm(event: dict) -> bool:
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


@guarded(notify=tell_event_user)
def answer_direct_message(event: dict, client) -> None:
    if not is_question_dm(event):
        return
    result, blocks = flows.answer(event.get("text", ""), user=event["user"], source="dm")
    post_message(client, event["channel"], blocks, flows.answer_text(result), thread_ts=event.get("thread_ts"))
