"""Submission of the /sns-check modal. The ack validates (empty draft → an error under the input) or
switches the modal to 「確認しています…」; the lazy part runs the check and shows the result in the same
modal, which only its author can see (the re-check button carries the draft in its value or the view's
private_metadata)."""

from __future__ import annotations

from bot.slack import flows
from bot.slack.blocks.check import modal_values, result_modal
from bot.slack.blocks.common import VIEW_BLOCK_LIMIT
from bot.slack.delivery import guarded
from bot.slack.ids import DRAFT_BLOCK
from bot.slack.listeners.check_reply import reply_in_view
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say


def ack_check_modal(ack, view: dict) -> None:
    draft, _ = modal_values(view)
    if not flows.has_text(flows.prepare_draft(draft, slack_formatted=False)):
        ack(response_action="errors", errors={DRAFT_BLOCK: say("check.j2", "draft_empty")})
        return
    ack(response_action="update", view=result_modal())


@guarded(notify=tell_interaction_user)
def show_check_result(body: dict, view: dict, client) -> None:
    draft, account = modal_values(view)
    if not flows.has_text(flows.prepare_draft(draft, slack_formatted=False)):
        return
    reply_in_view(client, view_id=view["id"], user=(body.get("user") or {}).get("id") or "", draft_chars=len(draft),
                  placeholder_shown=True,
                  work=lambda: flows.check_reply(draft, account, slack_formatted=False, in_view=True,
                                                 max_blocks=VIEW_BLOCK_LIMIT))
