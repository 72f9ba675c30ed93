"""「削除依頼を記録」 under an impersonation reply: opens the takedown form (platform, date requested,
reference number, recheck date) for those who may record it; anyone else gets one polite ephemeral line."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.incidents import platforms, records, takedowns
from bot.slack.blocks.takedown import takedown_modal
from bot.slack.delivery import error_code, guarded
from bot.slack.listeners.actions.notice_draft import _tell, current_directory
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.wording import line

log = logging.getLogger(__name__)


@guarded(notify=tell_interaction_user)
def open_takedown_form(body: dict, action: dict, client) -> None:
    who = interaction(body)
    try:
        incident = records.get(int(action.get("value") or ""))
    except ValueError:
        return
    if incident is None or not who.user:
        return
    if not takedowns.may_record(incident, who.user, current_directory()):
        _tell(client, body, line("takedown", "refused"))
        return
    requested, recheck = takedowns.default_dates()
    view = takedown_modal(incident.id, incident.url, requested, recheck, platforms.platform_of(incident.url))
    try:
        client.views_open(trigger_id=body.get("trigger_id"), view=view)
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("views.open for the takedown form failed: %s", error_code(err))
