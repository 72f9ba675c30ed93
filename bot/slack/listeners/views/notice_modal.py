"""「名前を反映」 in a notice draft modal: the account name 総務課 entered is stored on the ack path
(``accept_account``, before the ack) and the modal is updated at once with the draft re-rendered."""

from __future__ import annotations

import logging

from bot.incidents import notices
from bot.slack.blocks.notice import modal_state, notice_modal
from bot.slack.ids import NOTICE_ACCOUNT_BLOCK, NOTICE_MODAL_ID
from bot.slack.listeners.actions.notice_draft import current_directory
from bot.slack.listeners.common import interaction
from bot.slack.wording import say

log = logging.getLogger(__name__)


def wants_account(body: dict) -> bool:
    return body.get("type") == "view_submission" and (body.get("view") or {}).get("callback_id") == NOTICE_MODAL_ID


def accept_account(body: dict, db) -> dict:
    """Ack path: keep the account name (総務課 only)."""
    incident_id, _, name = modal_state(body["view"])
    user = interaction(body).user
    if not notices.may_see(user, current_directory()):
        return {}
    notices.save_account(incident_id, name, user, db=db)
    return {"notice_account_saved": True}


def ack_notice_modal(ack, body: dict, view: dict, context) -> None:
    try:
        incident_id, kind, name = modal_state(view)
    except (ValueError, KeyError, TypeError):
        ack()
        return
    user = interaction(body).user
    if not notices.may_see(user, current_directory()):
        ack(response_action="errors", errors={NOTICE_ACCOUNT_BLOCK: say("notice.j2", "soumu_only",
                                                                  general_affairs_name=notices_general_affairs())})
        return
    if not context.get("notice_account_saved"):
        notices.save_account(incident_id, name, user)
    try:
        draft = notices.draft(kind, incident_id)
    except notices.NoticeError as err:
        ack(response_action="errors", errors={NOTICE_ACCOUNT_BLOCK: str(err)[:150]})
        return
    ack(response_action="update", view=notice_modal(draft, notices.saved_account(incident_id)))


def notices_general_affairs() -> str:
    from bot.knowledge import general_affairs

    return general_affairs()
