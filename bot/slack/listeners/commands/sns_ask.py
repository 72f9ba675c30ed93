"""`/sns-ask 質問` → the answer, shown only to the person who asked."""

from __future__ import annotations

from bot.slack import flows
from bot.slack.delivery import guarded, post_private
from bot.slack.listeners.notify import tell_command_user


@guarded(notify=tell_command_user)
def answer_command(command: dict, client) -> None:
    result, blocks = flows.answer(command.get("text", ""), user=command["user_id"], source="command")
    post_private(client, command["channel_id"], command["user_id"], blocks, flows.answer_text(result),
                 response_url=command.get("response_url"))
