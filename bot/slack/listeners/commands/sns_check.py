"""`/sns-check 下書き` → the check result, shown only to its author; `/sns-check` alone opens the modal."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack import flows
from bot.slack.blocks.check import check_modal
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import error_code, guarded, post_private
from bot.slack.listeners.notify import tell_command_user
from bot.slack.wording import say

log = logging.getLogger(__name__)


@guarded(notify=tell_command_user)
def check_command(command: dict, client) -> None:
    user, channel = command["user_id"], command["channel_id"]
    draft = command.get("text", "")
    if not draft.strip():
        try:
            client.views_open(trigger_id=command["trigger_id"], view=check_modal())
        except (SlackApiError, SlackClientError) as err:
            code = error_code(err)
            log.warning("views.open failed: %s", code)
            msg = say("common.j2", "send_failed", code=code)
            post_private(client, channel, user, text_blocks(msg), msg, response_url=command.get("response_url"))
        return
    verdict, blocks = flows.check_draft(draft, "official", slack_formatted=True)
    post_private(client, channel, user, blocks, flows.check_text(verdict), response_url=command.get("response_url"))
