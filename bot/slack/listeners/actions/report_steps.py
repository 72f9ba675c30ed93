"""A click on a checklist button of an incident reply: 「済みにする」 records who and when (a second click or
a replay changes nothing); 「取り消す」 (a separate action) undoes it, also recorded with who and when. The
click is stored on the ack path (``accept_click``); the reply is then updated with chat.update. Users
who may not tick get an ephemeral refusal. 「完了」 with steps left unticked is not ticked: the clicker is asked to
confirm (bot/slack/listeners/actions/report_close.py)."""

from __future__ import annotations

import logging
from typing import NamedTuple

from bot import incidents
from bot.slack.blocks.report import close_confirm_blocks, parse_step_value
from bot.slack.delivery import guarded, post_private
from bot.slack.ids import STEP_ACTION_PREFIX, UNDO_ACTION_PREFIX
from bot.slack.listeners.common import block_action, interaction
from bot.slack.listeners.notify import tell_interaction_user, tell_privately
from bot.slack.report_outbox import deliver_now

log = logging.getLogger(__name__)


def _action(body: dict) -> dict | None:
    return block_action(body, lambda aid: aid.startswith((STEP_ACTION_PREFIX, UNDO_ACTION_PREFIX)))


def wants_click(body: dict) -> bool:
    return _action(body) is not None


def _apply(body: dict, action: dict, db=None):
    try:
        incident_id, pos = parse_step_value(action.get("value") or "")
    except ValueError:
        log.warning("checklist button with a malformed value ignored")
        return None
    undo = str(action.get("action_id") or "").startswith(UNDO_ACTION_PREFIX)
    user = interaction(body).user
    if not undo:
        left = close_needs_confirmation(incident_id, pos, user, db)
        if left:
            return ConfirmClose(incident_id, pos, left)
    return incidents.tick(incident_id, pos, user, undo=undo, db=db)


class ConfirmClose(NamedTuple):
    """「完了」 clicked with steps left: nothing is ticked, the clicker is asked first."""

    incident_id: int
    pos: int
    open_steps: list[str]


def tick_step(body: dict, action: dict, db=None):
    """The tick a step button asks for (its value names the incident and step), by the user who clicked; None when
    the value is malformed. Used by the buttons that only ever tick (close confirmation, step offer)."""
    try:
        incident_id, pos = parse_step_value(action.get("value") or "")
    except ValueError:
        return None
    return incidents.tick(incident_id, pos, interaction(body).user, db=db)


def close_needs_confirmation(incident_id: int, pos: int, user: str, db=None) -> list[str]:
    """The unticked steps when ``pos`` is the last step (完了) of an open incident the user may tick."""
    from bot.incidents import changes, directory, records

    incident = records.get(incident_id, db)
    if incident is None or not incident.is_open or not changes.is_last(incident, pos):
        return []
    if not incidents.may_tick(incident, user, directory.current()):
        return []  # the tick refuses it politely
    return changes.open_steps_before(incident, pos)


def accept_click(body: dict, db) -> dict:
    """Ack path: the tick (or undo) and its update Delivery are stored before the ack."""
    result = _apply(body, _action(body), db)
    if result is None:
        return {"tick_done": True, "tick_allowed": True, "tick_outbox": None}
    if isinstance(result, ConfirmClose):
        return {"tick_done": True, "tick_allowed": True, "tick_outbox": None, "tick_confirm": list(result)}
    return {"tick_done": True, "tick_allowed": result.allowed, "tick_message": result.message,
            "tick_outbox": result.outbox_id}


@guarded(notify=tell_interaction_user)
def record_step(body: dict, action: dict, client, context=None) -> None:
    who = interaction(body)
    confirm = None
    if context is not None and context.get("tick_done"):
        allowed, message, outbox = context["tick_allowed"], context.get("tick_message", ""), context["tick_outbox"]
        confirm = context.get("tick_confirm")
    else:
        result = _apply(body, action)
        if result is None:
            return
        if isinstance(result, ConfirmClose):
            allowed, message, outbox, confirm = True, "", None, list(result)
        else:
            allowed, message, outbox = result.allowed, result.message, result.outbox_id
    if confirm:
        incident_id, pos, left = confirm
        blocks, text = close_confirm_blocks(incident_id, pos, left)
        if who.channel:
            post_private(client, who.channel, who.user, blocks, text, response_url=who.response_url)
        return
    if not allowed:
        tell_privately(client, who, message)
        return
    if outbox is not None:
        deliver_now(client, outbox)
