"""Telling a user that something went wrong (used by ``guarded`` listeners), or one private line (a refusal)."""

from __future__ import annotations

from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import post_message, post_private
from bot.slack.listeners.common import Interaction, interaction
from bot.slack.wording import say


def _msg() -> str:
    return say("common.j2", "internal_error")


def tell_command_user(command: dict, client, **_) -> None:
    post_private(client, command["channel_id"], command["user_id"], text_blocks(_msg()), _msg(),
                 response_url=command.get("response_url"))


def tell_event_user(event: dict, client, **_) -> None:
    thread = event.get("thread_ts") or (event.get("ts") if event.get("channel_type") != "im" else None)
    post_message(client, event["channel"], text_blocks(_msg()), _msg(), thread_ts=thread)


def tell_interaction_user(body: dict, client, **_) -> None:
    who = interaction(body)
    if who.user and who.channel:
        post_private(client, who.channel, who.user, text_blocks(_msg()), _msg(), response_url=who.response_url)
    elif who.user:
        post_message(client, who.user, text_blocks(_msg()), _msg())


def tell_privately(client, who: Interaction, text: str) -> None:
    """One line only the person who acted sees, where they acted; nothing when the payload names no conversation."""
    if who.channel:
        post_private(client, who.channel, who.user, text_blocks(text), text, response_url=who.response_url)
