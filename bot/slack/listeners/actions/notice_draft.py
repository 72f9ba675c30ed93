"""「周知文の案」/「資料提供の案」 under an impersonation reply: 総務課 gets the draft in a modal (only the person
who clicked sees it; nothing is posted); anyone else gets one polite ephemeral line."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.incidents import directory, notices, records
from bot.slack.blocks.common import text_blocks
from bot.slack.blocks.notice import notice_modal
from bot.slack.blocks.report import IMPERSONATION
from bot.slack.delivery import error_code, guarded, post_private
from bot.slack.ids import NOTICE_ACTION_PATTERN
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say

log = logging.getLogger(__name__)


def _tell(client, body: dict, message: str) -> None:
    who = interaction(body)
    post_private(client, who.channel or who.user, who.user, text_blocks(message), message, response_url=who.response_url)


def current_directory():
    try:
        return directory.current()
    except directory.DirectoryError as err:
        log.warning("directory unusable: %s", err.message)
        return None


@guarded(notify=tell_interaction_user)
def open_notice(body: dict, action: dict, client) -> None:
    who = interaction(body)
    m = NOTICE_ACTION_PATTERN.match(str(action.get("action_id") or ""))
    try:
        incident_id = int(action.get("value") or "")
    except ValueError:
        log.warning("notice button with a malformed value ignored")
        return
    if m is None or not who.user:
        return
    kind = m.group(1)
    d = current_directory()
    if not notices.may_see(who.user, d):
        name = d.general_affairs.name if d else _pack_general_affairs()
        _tell(client, body, say("notice.j2", "soumu_only", general_affairs_name=name))
        return
    incident = records.get(incident_id)
    if incident is None or incident.type != IMPERSONATION:
        _tell(client, body, say("notice.j2", "not_impersonation"))
        return
    try:
        draft = notices.draft(kind, incident_id)
    except notices.NoticeError as err:
        _tell(client, body, say("notice.j2", "unavailable", message=str(err)))
        return
    try:
        client.views_open(trigger_id=body.get("trigger_id"), view=notice_modal(draft, notices.saved_account(incident_id)))
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("views.open for a notice draft failed: %s", error_code(err))
        return
    notices.log_drafted(incident_id, kind, who.user)


def _pack_general_affairs() -> str:
    from bot.knowledge import general_affairs

    return general_affairs()
