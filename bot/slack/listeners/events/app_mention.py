"""A mention of the bot in a channel. ``route_mention`` decides what it is: today every mention is a
question (Ask); the Report job adds a kind (e.g. "report") to MENTION_HANDLERS and to the classifier.
Replies go to the mention's thread."""

from __future__ import annotations

from collections.abc import Callable

from bot.slack import flows
from bot.slack.blocks import text_blocks
from bot.slack.delivery import guarded, post_message
from bot.slack.listeners.notify import tell_event_user
from bot.slack.text import to_plain, without_mentions
from bot.slack.wording import say


# (kind, test(text) -> bool), tried in order before falling back to "ask"; Report adds ("report", is_report).
MENTION_KINDS: list[tuple[str, Callable[[str], bool]]] = []


def classify_mention(text: str) -> str:
    """The kind of a mention's text (mentions removed, plain text). Report hooks in here."""
    for kind, test in MENTION_KINDS:
        if test(text):
            return kind
    return "ask"


def reply_with_answer(event: dict, text: str, client, context=None) -> None:
    thread = event.get("thread_ts") or event["ts"]
    if not text.strip():
        msg = say("ask.j2", "mention_help")
        post_message(client, event["channel"], text_blocks(msg), msg, thread_ts=thread)
        return
    result, blocks = flows.answer(text, user=event.get("user", ""), source="mention", log_now=False)
    post_message(client, event["channel"], blocks, flows.answer_text(result), thread_ts=thread)
    flows.note_unanswered(result, text, event.get("user", ""), "mention")  # after the answer


# kind -> handler(event, text, client, context)
MENTION_HANDLERS: dict[str, Callable[..., None]] = {"ask": reply_with_answer}


def route_mention(event: dict) -> tuple[str, str]:
    """(kind, text) for a mention event."""
    text = without_mentions(event.get("text", ""))
    return classify_mention(to_plain(text)), text


@guarded(notify=tell_event_user)
def handle_mention(event: dict, client, context) -> None:
    kind, text = route_mention(event)
    MENTION_HANDLERS.get(kind, reply_with_answer)(event=event, text=text, client=client, context=context)
