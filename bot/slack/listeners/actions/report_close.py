"""The answer to 「未完了の手順があります：… このまま完了にしますか？」 (an ephemeral message): 「完了にする」 ticks
完了 (stored on the ack path like any checklist click; the steps left unticked are kept in 経過), 「戻る」
changes nothing. The ephemeral message is replaced by a short line either way."""

from __future__ import annotations

import logging

from bot.slack.blocks.common import text_blocks, to_dicts
from bot.slack.delivery import guarded, post_private, respond_ephemeral
from bot.slack.ids import CLOSE_CANCEL_ACTION, CLOSE_CONFIRM_ACTION
from bot.slack.listeners.actions.report_steps import tick_step
from bot.slack.listeners.common import block_action, interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now
from bot.slack.wording import say

log = logging.getLogger(__name__)


def _action(body: dict) -> dict | None:
    return block_action(body, lambda aid: aid == CLOSE_CONFIRM_ACTION)


def wants_confirm(body: dict) -> bool:
    return _action(body) is not None


def accept_confirm(body: dict, db) -> dict:
    result = tick_step(body, _action(body), db)
    return {"close_done": True, "close": result}


def _replace(who, client, text: str) -> None:
    if who.response_url and respond_ephemeral(who.response_url, to_dicts(text_blocks(text)), text, True):
        return
    if who.channel:
        post_private(client, who.channel, who.user, text_blocks(text), text)


@guarded(notify=tell_interaction_user)
def answer_close(body: dict, action: dict, client, context=None) -> None:
    who = interaction(body)
    if action.get("action_id") == CLOSE_CANCEL_ACTION:
        _replace(who, client, say("report.j2", "close_cancelled"))
        return
    result = context.get("close") if context is not None and context.get("close_done") else tick_step(body, action)
    if result is None:
        return
    if not result.allowed:
        _replace(who, client, result.message)
        return
    _replace(who, client, say("report.j2", "step_offer_done", step=result.step))
    if result.outbox_id is not None:
        deliver_now(client, result.outbox_id)
