"""A mention of the bot in a channel. The routing table (bot.slack.app.MENTION_ROUTES) is tried in order
on the mention's plain text; a mention no route claims is a question (Ask). Replies go to the mention's
thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.slack.delivery import guarded
from bot.slack.listeners.events.ask_mention import reply_with_answer
from bot.slack.listeners.notify import tell_event_user
from bot.slack.text import to_plain, without_mentions


@dataclass(frozen=True)
class MentionRoute:
    kind: str
    test: Callable[[str], bool]  # the mention's plain text (mentions removed) → is it this kind?
    handler: Callable[..., None]  # handler(event=, text=, client=, context=)
    # when set, decides instead of ``test`` with the whole event (e.g. "in an incident's thread")
    event_test: Callable[[dict, str], bool] | None = None


ASK = MentionRoute("ask", lambda text: True, reply_with_answer)  # the fallback: every other mention


def route_mention(event: dict, routes: Sequence[MentionRoute]) -> tuple[MentionRoute, str]:
    """(route, text without mentions) for a mention event: the first route whose test accepts it, else Ask."""
    text = without_mentions(event.get("text", ""))
    plain = to_plain(text)
    for route in routes:
        if route.event_test(event, plain) if route.event_test is not None else route.test(plain):
            return route, text
    return ASK, text


def mention_listener(routes: Sequence[MentionRoute]) -> Callable[..., None]:
    """The lazy listener for app_mention with this routing table."""
    routes = tuple(routes)

    @guarded(notify=tell_event_user)
    def handle_mention(event: dict, client, context) -> None:
        route, text = route_mention(event, routes)
        route.handler(event=event, text=text, client=client, context=context)

    return handle_mention
