"""The 「投稿前チェックする」 button offered for a draft pasted into a DM: check it (the draft travels in the
button value and is not stored or logged), show the result in the DM, and remove the button."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack import flows
from bot.slack.blocks import ask as abk
from bot.slack.delivery import error_code, guarded
from bot.slack.listeners.check_reply import reply_in_dm
from bot.slack.listeners.notify import tell_interaction_user

log = logging.getLogger(__name__)


@guarded(notify=tell_interaction_user)
def check_dm_draft(body: dict, action: dict, client) -> None:
    draft = action.get("value") or ""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or body["user"]["id"]
    reply = reply_in_dm(client, channel=channel, draft_chars=len(draft),
                        work=lambda: flows.check_reply(draft, "official", slack_formatted=True))
    message_blocks = (body.get("message") or {}).get("blocks")
    if message_blocks and container.get("message_ts"):
        try:
            client.chat_update(channel=channel, ts=container["message_ts"],
                               blocks=abk.replace_draft_button(message_blocks), text=reply.text)
        except (SlackApiError, SlackClientError) as err:
            log.warning("chat.update failed: %s", error_code(err))
