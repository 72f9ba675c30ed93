"""「完了にする」 under 「『…』を完了にしますか？」 (the bot's answer to a mention in an incident's thread that
names a step): ticks that step, stored on the ack path like a checklist click; the step offer then says it is done.
Users who may not tick get an ephemeral refusal."""

from __future__ import annotations

from bot.slack.blocks.common import to_dicts
from bot.slack.blocks.report import step_offer_done_blocks
from bot.slack.delivery import guarded
from bot.slack.ids import STEP_OFFER_TICK_ACTION
from bot.slack.listeners.actions.report_steps import tick_step
from bot.slack.listeners.common import block_action, interaction
from bot.slack.listeners.notify import tell_interaction_user, tell_privately
from bot.slack.report_outbox import deliver_now


def _action(body: dict) -> dict | None:
    return block_action(body, lambda aid: aid == STEP_OFFER_TICK_ACTION)


def wants_step_offer(body: dict) -> bool:
    return _action(body) is not None


def accept_step_offer(body: dict, db) -> dict:
    return {"step_offer_done": True, "step_offer": tick_step(body, _action(body), db)}


@guarded(notify=tell_interaction_user)
def answer_step_offer(body: dict, action: dict, client, context=None) -> None:
    who = interaction(body)
    result = context.get("step_offer") if context is not None and context.get("step_offer_done") else tick_step(body, action)
    if result is None:
        return
    if not result.allowed:
        tell_privately(client, who, result.message)
        return
    message_ts = (who.message or {}).get("ts") or ((body.get("container") or {}).get("message_ts"))
    if who.channel and message_ts and result.step is not None:
        blocks, text = step_offer_done_blocks(result.step)
        try:
            client.chat_update(channel=who.channel, ts=message_ts, blocks=to_dicts(blocks), text=text)
        except Exception:  # noqa: BLE001 - the tick is stored and the reply updated; the step offer text is cosmetic
            pass
    if result.outbox_id is not None:
        deliver_now(client, result.outbox_id)
