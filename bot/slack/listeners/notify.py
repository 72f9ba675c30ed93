"""Telling a user that something went wrong (used by ``guarded`` listeners)."""

from __future__ import annotations

from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import post_message, post_private
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
    user = (body.get("user") or {}).get("id")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if user and channel:
        post_private(client, channel, user, text_blocks(_msg()), _msg(), response_url=body.get("response_url"))
    elif user:
        post_message(client, user, text_blocks(_msg()), _msg())
