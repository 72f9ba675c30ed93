"""「まだ残っている」 with the next recheck date: stored before the ack (``accept_remaining``); the reminder
then says what was recorded and the reply is updated."""

from __future__ import annotations

from bot.incidents import takedowns
from bot.slack.blocks.takedown import recheck_state
from bot.slack.delivery import guarded
from bot.slack.ids import TAKEDOWN_NEXT_RECHECK_BLOCK, TAKEDOWN_RECHECK_MODAL_ID
from bot.slack.listeners.actions.takedown_recheck import show_answer
from bot.slack.listeners.common import interaction
from bot.slack.report_outbox import deliver_now


def wants_remaining(body: dict) -> bool:
    return body.get("type") == "view_submission" and (body.get("view") or {}).get("callback_id") == TAKEDOWN_RECHECK_MODAL_ID


def _remaining(body: dict, db=None) -> dict:
    takedown_id, next_date, _, _ = recheck_state(body["view"])
    result = takedowns.answer_recheck(takedown_id, interaction(body).user, removed=False, next_recheck=next_date, db=db)
    return {"remaining_done": True, "remaining_allowed": result.allowed, "remaining_message": result.message,
            "remaining_outbox": result.outbox_id}


def accept_remaining(body: dict, db) -> dict:
    return _remaining(body, db)


def ack_remaining(ack, body: dict, context) -> None:
    if not context.get("remaining_done"):
        try:
            context.update(_remaining(body))
        except (KeyError, ValueError, TypeError):
            ack()
            return
    if not context["remaining_allowed"]:
        ack(response_action="errors", errors={TAKEDOWN_NEXT_RECHECK_BLOCK: context["remaining_message"]})
        return
    ack()


@guarded()
def after_remaining(body: dict, client, context) -> None:
    if not context.get("remaining_allowed"):
        return
    takedown_id, _, channel, ts = recheck_state(body["view"])
    show_answer(client, takedown_id, interaction(body).user, channel, ts)
    if context.get("remaining_outbox") is not None:
        deliver_now(client, context["remaining_outbox"])
