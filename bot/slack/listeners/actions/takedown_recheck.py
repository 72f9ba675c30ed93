"""The recheck reminder's buttons: 「削除を確認した」 is stored before the ack (``accept_removed``) and the
reminder then shows what was recorded; 「まだ残っている」 opens a modal for the next recheck date."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.incidents import records, takedowns
from bot.incidents.when import today_jst
from bot.slack.blocks.common import to_dicts
from bot.slack.blocks.takedown import answered_blocks, recheck_modal
from bot.slack.delivery import error_code, guarded
from bot.slack.ids import TAKEDOWN_RECHECK_REMAINING_ACTION, TAKEDOWN_RECHECK_REMOVED_ACTION
from bot.slack.listeners.actions.notice_draft import _tell
from bot.slack.listeners.common import block_action, interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now

log = logging.getLogger(__name__)


def _action(body: dict, action_id: str) -> dict | None:
    return block_action(body, lambda aid: aid == action_id)


def wants_removed(body: dict) -> bool:
    return _action(body, TAKEDOWN_RECHECK_REMOVED_ACTION) is not None


def _removed(body: dict, db=None) -> dict:
    action = _action(body, TAKEDOWN_RECHECK_REMOVED_ACTION)
    result = takedowns.answer_recheck(int(action.get("value") or ""), interaction(body).user, removed=True, db=db)
    return {"recheck_done": True, "recheck_allowed": result.allowed, "recheck_message": result.message,
            "recheck_outbox": result.outbox_id, "recheck_takedown": result.takedown.id if result.takedown else None}


def accept_removed(body: dict, db) -> dict:
    return _removed(body, db)


def show_answer(client, takedown_id: int, user: str, channel: str, ts: str) -> None:
    """The reminder message, rewritten to say what was recorded (its buttons go)."""
    from bot.incidents.export import type_labels

    t = takedowns.get(takedown_id)
    incident = records.get(t.incident) if t else None
    if not (t and incident and channel and ts):
        return
    blocks, text = answered_blocks(t, incident, type_labels().get(incident.type, incident.type), user)
    try:
        client.chat_update(channel=channel, ts=ts, blocks=to_dicts(blocks), text=text)
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("the recheck reminder could not be updated: %s", error_code(err))


def _where(body: dict) -> tuple[str, str]:
    container = body.get("container") or {}
    return str(container.get("channel_id") or interaction(body).channel), str(container.get("message_ts") or "")


@guarded(notify=tell_interaction_user)
def record_removed(body: dict, client, context) -> None:
    values = context if context.get("recheck_done") else _removed(body)
    if not values["recheck_allowed"]:
        _tell(client, body, values["recheck_message"])
        return
    channel, ts = _where(body)
    show_answer(client, values["recheck_takedown"], interaction(body).user, channel, ts)
    if values.get("recheck_outbox") is not None:
        deliver_now(client, values["recheck_outbox"])


@guarded(notify=tell_interaction_user)
def ask_next_date(body: dict, action: dict, client) -> None:
    from bot.slack.listeners.actions.notice_draft import current_directory

    who = interaction(body)
    t = takedowns.get(int(action.get("value") or "0"))
    incident = records.get(t.incident) if t else None
    if t is None or incident is None:
        return
    if not takedowns.may_record(incident, who.user, current_directory()):
        from bot.wording import line

        _tell(client, body, line("takedown", "refused"))
        return
    channel, ts = _where(body)
    view = recheck_modal(t, today_jst() + takedowns.RECHECK_AFTER, channel, ts)
    try:
        client.views_open(trigger_id=body.get("trigger_id"), view=view)
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("views.open for the next recheck failed: %s", error_code(err))


TAKEDOWN_RECHECK_ACTIONS = (TAKEDOWN_RECHECK_REMOVED_ACTION, TAKEDOWN_RECHECK_REMAINING_ACTION)


def render_reminder(client, incident, extra: dict):
    """The recheck reminder (bot.slack.reminders.RENDERERS): the request and its two answers; nothing when
    it was answered or the incident closed meanwhile."""
    from bot.incidents.export import type_labels
    from bot.slack.blocks.takedown import reminder_blocks

    t = takedowns.get(int((extra.get("values") or {}).get("takedown") or 0))
    if t is None or not t.pending or not incident.is_open:
        return None, ""
    return reminder_blocks(t, incident, type_labels().get(incident.type, incident.type))
