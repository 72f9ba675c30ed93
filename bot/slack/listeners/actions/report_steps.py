"""A click on a checklist button of an incident reply: record who and when (or undo), then update the
reply with chat.update. Users who may not tick get an ephemeral refusal."""

from __future__ import annotations

import logging

from bot import incidents
from bot.slack.blocks.common import text_blocks
from bot.slack.blocks.report import parse_step_value
from bot.slack.delivery import guarded, post_private
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now

log = logging.getLogger(__name__)


@guarded(notify=tell_interaction_user)
def record_step(body: dict, action: dict, client) -> None:
    who = interaction(body)
    try:
        incident_id, pos = parse_step_value(action.get("value") or "")
    except ValueError:
        log.warning("checklist button with a malformed value ignored")
        return
    result = incidents.tick(incident_id, pos, who.user)
    if not result.allowed:
        msg = result.message
        if who.channel:
            post_private(client, who.channel, who.user, text_blocks(msg), msg, response_url=who.response_url)
        return
    deliver_now(client, result.outbox_id)
