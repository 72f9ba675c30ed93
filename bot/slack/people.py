"""Display names from Slack: ``users.info`` (profile.display_name, else real_name, else the id), kept in the
``people`` table and asked again when older than a day. When Slack cannot answer, the last known name (or the
directory's, or the id) is shown: a name is never worth failing a message for."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.incidents import people
from bot.slack.delivery import error_code

log = logging.getLogger(__name__)


def slack_names(client: WebClient) -> people.Names:
    """A Names function for one rendering (each user is looked up at most once per call of this)."""
    memo: dict[str, str] = {}

    def name(user: str) -> str:
        if not user:
            return ""
        if user not in memo:
            memo[user] = _lookup(client, user)
        return memo[user]

    return name


def _lookup(client: WebClient, user: str) -> str:
    person = people.cached(user)
    if person is not None and not person.stale():
        return person.name
    try:
        resp = client.users_info(user=user)
        info = resp.get("user") or {}
        profile = info.get("profile") or {}
        person = people.remember(user, profile.get("display_name") or "",
                                 profile.get("real_name") or info.get("real_name") or "")
        return person.name
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("users.info for %s failed: %s", user, error_code(err))
    except Exception as err:  # noqa: BLE001 - e.g. the database busy: the id is shown
        log.warning("name of %s unavailable: %s", user, type(err).__name__)
    if person is not None and person.name != user:
        return person.name
    return people.directory_name(user) or user


def refresh(client: WebClient, users) -> None:
    """Make sure the cache knows these people (asked only when missing or older than a day), so that the
    command line's exports show display names. Best effort: a failure is logged and forgotten."""
    names = slack_names(client)
    for user in dict.fromkeys(u for u in users if u):
        names(user)


def incident_people(incident) -> list[str]:
    """Everyone an incident's record names: reporter, tagged, owner, who ticked steps."""
    return [incident.reporter, *incident.tagged, getattr(incident, "owner", ""), *(s.done_by or "" for s in incident.steps)]
