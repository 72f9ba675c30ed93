"""Message shortcut 「投稿前チェック」: check the chosen message as the official account (the result offers
「私的なアカウントとして確認し直す」); only the person who asked sees the result."""

from __future__ import annotations

from bot.slack import flows
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import guarded, post_private
from bot.slack.listeners.check_reply import reply_privately
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say


@guarded(notify=tell_interaction_user)
def check_message(body: dict, client) -> None:
    who = interaction(body)
    if not who.user:
        return
    user, channel = who.user, who.channel or who.user
    text = who.message.get("text") or ""
    if not text.strip():
        msg = say("check.j2", "no_text")
        post_private(client, channel, user, text_blocks(msg), msg, response_url=who.response_url)
        return
    reply_privately(client, channel=channel, user=user, response_url=who.response_url, draft_chars=len(text),
                    work=lambda: flows.check_reply(text, "official", slack_formatted=True, shortcut=True))
