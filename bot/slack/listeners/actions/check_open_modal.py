"""「入力画面を開く」, offered instead of the re-check button when a draft is too long to travel with it:
open the /sns-check modal with the other account chosen (in a modal: switch that modal to it)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks.check import ACCOUNTS, check_modal
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import error_code, guarded, post_private
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say

log = logging.getLogger(__name__)


@guarded(notify=tell_interaction_user)
def open_check_modal(body: dict, action: dict, client) -> None:
    account = action.get("value") if action.get("value") in ACCOUNTS else "official"
    view = body.get("view") or {}
    try:
        if (body.get("container") or {}).get("type") == "view" and view.get("id"):
            client.views_update(view_id=view["id"], view=check_modal(account))
        else:
            client.views_open(trigger_id=body["trigger_id"], view=check_modal(account))
    except (SlackApiError, SlackClientError) as err:
        code = error_code(err)
        log.warning("opening the check modal failed: %s", code)
        who = interaction(body)
        if who.user:
            msg = say("common.j2", "send_failed", code=code)
            post_private(client, who.channel or who.user, who.user, text_blocks(msg), msg, response_url=who.response_url)
