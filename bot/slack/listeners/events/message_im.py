"""A direct message to the bot. The routing table (bot.slack.app.DM_ROUTES) is tried on its plain text: a DM
that reads as a report gets the report offer; every other DM is a question (Ask), also when it carries a file
(subtype file_share; a file alone gets a hint to ask in words). Other message events (channels, edits, the
bot's own messages) are acknowledged and ignored."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.slack import flows
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import guarded, post_message
from bot.slack.listeners.notify import tell_event_user
from bot.slack.text import to_plain
from bot.slack.wording import say

QUESTION_SUBTYPES = {None, "file_share"}  # a plain message, or one with a file attached


def is_question_dm(event: dict) -> bool:
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in QUESTION_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def answer_question(event: dict, client) -> None:
    """Ask: the answer in the DM."""
    if event.get("files") and not (event.get("text") or "").strip():
        msg = say("ask.j2", "file_only")
        post_message(client, event["channel"], text_blocks(msg), msg, thread_ts=event.get("thread_ts"))
        return
    result, blocks = flows.answer(event.get("text", ""), user=event["user"], source="dm", log_now=False)
    post_message(client, event["channel"], blocks, flows.answer_text(result), thread_ts=event.get("thread_ts"))
    flows.note_unanswered(result, event.get("text", ""), event["user"], "dm")  # after the answer


def dm_listener(routes: Sequence) -> Callable[..., None]:
    """The lazy listener for message events with this routing table (MentionRoute-shaped: test(plain
    text) → handler(event=, text=, client=, context=)); a DM no route claims is a question."""
    routes = tuple(routes)

    @guarded(notify=tell_event_user)
    def answer_direct_message(event: dict, client, context=None) -> None:
        if not is_question_dm(event):
            return
        plain = to_plain(event.get("text", ""))
        for route in routes:
            if plain.strip() and route.test(plain):
                return route.handler(event=event, text=event.get("text", ""), client=client, context=context)
        answer_question(event, client)

    return answer_direct_message


answer_direct_message = dm_listener(())  # no routes: every DM is a question
