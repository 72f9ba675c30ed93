"""Submission of the 取り下げ modal. The reason is required (an error under the input otherwise). The
withdrawal is stored on the ack path (``accept_withdraw``, before the modal closes); a replayed submission
changes nothing. The reply is then updated and a note posted in the thread."""

from __future__ import annotations

from bot.incidents import changes
from bot.slack.blocks.common import text_blocks
from bot.slack.delivery import guarded, post_message
from bot.slack.ids import WITHDRAW_MODAL, WITHDRAW_REASON_ACTION, WITHDRAW_REASON_BLOCK
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now


def _values(view: dict) -> tuple[int | None, str]:
    try:
        incident_id = int(view.get("private_metadata") or "")
    except ValueError:
        incident_id = None
    state = ((view.get("state") or {}).get("values") or {}).get(WITHDRAW_REASON_BLOCK) or {}
    reason = (state.get(WITHDRAW_REASON_ACTION) or {}).get("value") or ""
    return incident_id, reason.strip()


def wants_withdraw(body: dict) -> bool:
    return body.get("type") == "view_submission" and (body.get("view") or {}).get("callback_id") == WITHDRAW_MODAL


def accept_withdraw(body: dict, db) -> dict:
    incident_id, reason = _values(body["view"])
    if incident_id is None or not reason:
        return {}
    user = (body.get("user") or {}).get("id") or ""
    return {"withdraw": changes.withdraw(incident_id, reason, user, db=db)}


def ack_withdraw(ack, view: dict, context) -> None:
    from bot.wording import line

    incident_id, reason = _values(view)
    if not reason:
        ack(response_action="errors", errors={WITHDRAW_REASON_BLOCK: line("report", "withdraw_reason_required")})
        return
    result = context.get("withdraw")
    if result is not None and not result.allowed:
        ack(response_action="errors", errors={WITHDRAW_REASON_BLOCK: result.message})
        return
    ack()


@guarded(notify=tell_interaction_user)
def finish_withdraw(body: dict, view: dict, client, context) -> None:
    result = context.get("withdraw")
    if result is None:  # not stored on the ack path (the acceptor failed): do it now
        incident_id, reason = _values(view)
        if incident_id is None or not reason:
            return
        result = changes.withdraw(incident_id, reason, (body.get("user") or {}).get("id") or "")
        if not result.allowed:
            user = (body.get("user") or {}).get("id")
            if user:
                post_message(client, user, text_blocks(result.message), result.message)
            return
    for outbox in (result.outbox_id, result.note_id):
        if outbox is not None:
            deliver_now(client, outbox)
