"""The controls under an incident reply: 「担当する」, 「担当を外れる」 and 「種類を訂正」 (a select). Each click is
stored on the ack path (``accept_change``: the change, its 経過 entry, the reply update and the thread note in
the transaction that acknowledges it; a replayed click changes nothing). Users who may not change the
incident get an ephemeral refusal."""

from __future__ import annotations

import logging

from bot.incidents import changes
from bot.slack.blocks.report import parse_retype_value
from bot.slack.delivery import guarded
from bot.slack.ids import CLAIM_ACTION, INCIDENT_ACTIONS, RELEASE_ACTION, RETYPE_ACTION
from bot.slack.listeners.common import block_action, interaction
from bot.slack.listeners.notify import tell_interaction_user, tell_privately
from bot.slack.report_outbox import deliver_now

log = logging.getLogger(__name__)


def _action(body: dict) -> dict | None:
    return block_action(body, lambda aid: aid in INCIDENT_ACTIONS)


def wants_change(body: dict) -> bool:
    return _action(body) is not None


def _apply(body: dict, action: dict, db=None) -> changes.Change | None:
    user = interaction(body).user
    aid = action.get("action_id")
    try:
        if aid == RETYPE_ACTION:
            incident_id, type_id = parse_retype_value((action.get("selected_option") or {}).get("value") or "")
            return changes.change_type(incident_id, type_id, user, db=db)
        incident_id = int(action.get("value") or "")
    except ValueError:
        log.warning("incident control with a malformed value ignored")
        return None
    if aid == CLAIM_ACTION:
        return changes.claim(incident_id, user, db=db)
    if aid == RELEASE_ACTION:
        return changes.release(incident_id, user, db=db)
    return None


def accept_change(body: dict, db) -> dict:
    """Ack path: the change and its Deliveries are stored before the ack."""
    result = _apply(body, _action(body), db)
    if result is None:
        return {"change_done": True, "change": None}
    return {"change_done": True, "change": result}


@guarded(notify=tell_interaction_user)
def record_change(body: dict, action: dict, client, context=None) -> None:
    who = interaction(body)
    if context is not None and context.get("change_done"):
        result = context.get("change")
    else:
        result = _apply(body, action)
    if result is None:
        return
    if not result.allowed:
        tell_privately(client, who, result.message)
        return
    for outbox in (result.outbox_id, result.note_id):
        if outbox is not None:
            deliver_now(client, outbox)
