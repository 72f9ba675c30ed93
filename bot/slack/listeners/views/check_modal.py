"""Submission of the /sns-check modal. The ack validates (empty draft → an error under the input) or
switches the modal to "checking…"; the lazy part runs the check and shows the result in the same modal,
which only its author can see."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack import flows
from bot.slack.blocks.check import modal_values, result_modal
from bot.slack.blocks.common import VIEW_BLOCK_LIMIT
from bot.slack.delivery import error_code, guarded
from bot.slack.ids import DRAFT_BLOCK
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say

log = logging.getLogger(__name__)


def ack_check_modal(ack, view: dict) -> None:
    draft, _ = modal_values(view)
    if not draft.strip():
        ack(response_action="errors", errors={DRAFT_BLOCK: say("check.j2", "draft_empty")})
        return
    ack(response_action="update", view=result_modal())


@guarded(notify=tell_interaction_user)
def show_check_result(view: dict, client) -> None:
    draft, account = modal_values(view)
    if not draft.strip():
        return
    _, blocks = flows.check_draft(draft, account, slack_formatted=False, max_blocks=VIEW_BLOCK_LIMIT)
    try:
        client.views_update(view_id=view["id"], view=result_modal(blocks))
    except (SlackApiError, SlackClientError) as err:
        log.warning("views.update failed: %s", error_code(err))
        raise
