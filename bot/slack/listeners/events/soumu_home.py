"""The Home tab of 総務課 members (directory): every open incident with a link to its thread (chat.getPermalink),
its type, owner (display name), age and next step; then the latest questions Ask could not answer and the
latest answers marked 👎. Other staff see their own incidents (report_mention.home_section) and not this."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import feedback, incidents
from bot.incidents import directory
from bot.incidents.export import type_labels
from bot.incidents.when import age_days
from bot.slack.blocks.home import QUESTIONS_LIMIT, SOUMU_HOME_LIMIT, questions_section, soumu_incidents_section
from bot.slack.delivery import error_code
from bot.slack.people import slack_names

log = logging.getLogger(__name__)


def is_soumu(user: str) -> bool:
    try:
        d = directory.current()
    except directory.DirectoryError as err:
        log.warning("directory unusable for the Home tab: %s", err.message)
        return False
    return d is not None and d.is_general_affairs(user)


def permalink(client: WebClient, channel: str, ts: str) -> str:
    """The link to a message, "" when Slack cannot give one (the incident is then shown with its channel)."""
    if not (client and channel and ts):
        return ""
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or "")
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("no permalink for %s/%s: %s", channel, ts, error_code(err))
        return ""


def incidents_section(user: str, client: WebClient | None = None) -> list:
    if not is_soumu(user):
        return []
    open_ones = incidents.incidents(open_only=True)
    labels = type_labels()
    names = slack_names(client) if client is not None else (lambda u: u)
    items = []
    for i in open_ones[:SOUMU_HOME_LIMIT]:
        owner = getattr(i, "owner", "") or ""
        items.append((i, labels.get(i.type, i.type), permalink(client, i.channel, i.thread_ts),
                      names(owner) if owner else "", age_days(i.created), incidents.next_step(i)))
    items += [(i, labels.get(i.type, i.type), "", "", age_days(i.created), None) for i in open_ones[SOUMU_HOME_LIMIT:]]
    return soumu_incidents_section(items)


def questions(user: str, client: WebClient | None = None) -> list:
    if not is_soumu(user):
        return []
    return questions_section(feedback.latest_unanswered(QUESTIONS_LIMIT), feedback.latest_downvotes(QUESTIONS_LIMIT))
