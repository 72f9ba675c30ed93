"""`/sns-check 下書き` → the check result, shown only to its author. A leading 「私的」/「公式」 chooses the
account (default: the town's official account); `/sns-check` alone (or with only the account) opens the
modal; `/sns-check ヘルプ` shows how to use it. Every result offers the other account by one click."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack import flows
from bot.slack.blocks.check import check_modal
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import error_code, guarded, post_private
from bot.slack.listeners.check_reply import reply_privately
from bot.slack.listeners.notify import tell_command_user
from bot.slack.wording import say

log = logging.getLogger(__name__)

HELP_WORDS = frozenset({"help", "ヘルプ", "使い方", "つかいかた", "?", "？"})


@guarded(notify=tell_command_user)
def check_command(command: dict, client) -> None:
    user, channel, response_url = command["user_id"], command["channel_id"], command.get("response_url")
    chosen, draft = flows.split_account(command.get("text", ""))
    if draft.strip().lower() in HELP_WORDS and chosen is None:
        msg = say("check.j2", "command_help")
        post_private(client, channel, user, text_blocks(msg), msg, response_url=response_url)
        return
    if not draft.strip():
        try:
            client.views_open(trigger_id=command["trigger_id"], view=check_modal(chosen or "official"))
        except (SlackApiError, SlackClientError) as err:
            code = error_code(err)
            log.warning("views.open failed: %s", code)
            msg = say("common.j2", "send_failed", code=code)
            post_private(client, channel, user, text_blocks(msg), msg, response_url=response_url)
        return
    account = chosen or "official"
    reply_privately(client, channel=channel, user=user, response_url=response_url, draft_chars=len(draft),
                    work=lambda: flows.check_reply(draft, account, slack_formatted=True))
