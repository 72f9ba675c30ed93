"""Submission of the takedown form: stored before the ack (``accept_takedown``: the request, its 経過 line,
the tick of 「プラットフォームへ削除依頼」, the update of the reply), a problem shown under its field; the
reply is then updated."""

from __future__ import annotations

from bot.incidents import takedowns
from bot.slack.blocks.takedown import FIELD_BLOCKS, takedown_state
from bot.slack.delivery import guarded
from bot.slack.ids import TAKEDOWN_MODAL_ID, TAKEDOWN_PLATFORM_BLOCK
from bot.slack.listeners.common import interaction
from bot.slack.report_outbox import deliver_now


def wants_takedown(body: dict) -> bool:
    return body.get("type") == "view_submission" and (body.get("view") or {}).get("callback_id") == TAKEDOWN_MODAL_ID


def _record(body: dict, db=None) -> dict:
    view = body["view"]
    values = takedown_state(view)
    result = takedowns.record_request(values["incident"], platform=values["platform"], requested=values["requested"],
                                      reference=values["reference"], recheck=values["recheck"],
                                      user=interaction(body).user, submission=str(view.get("id") or ""), db=db)
    return {"takedown_done": True, "takedown_allowed": result.allowed, "takedown_message": result.message,
            "takedown_field": result.field, "takedown_outbox": result.outbox_id}


def accept_takedown(body: dict, db) -> dict:
    """Ack path: the request is stored with the event (or nothing, with the reason for the form)."""
    return _record(body, db)


def ack_takedown(ack, body: dict, context) -> None:
    if not context.get("takedown_done"):
        try:
            context.update(_record(body))
        except (KeyError, ValueError, TypeError):
            ack()
            return
    if not context["takedown_allowed"]:
        block = FIELD_BLOCKS.get(context.get("takedown_field") or "", TAKEDOWN_PLATFORM_BLOCK)
        ack(response_action="errors", errors={block: context["takedown_message"]})
        return
    ack()


@guarded()
def update_reply(client, context) -> None:
    if context.get("takedown_allowed") and context.get("takedown_outbox") is not None:
        deliver_now(client, context["takedown_outbox"])
