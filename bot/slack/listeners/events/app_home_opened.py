"""The Home tab: publish the how-to view when a user opens it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import home_view
from bot.slack.delivery import error_code, guarded

log = logging.getLogger(__name__)

# Extra Home sections: functions user_id -> list of blocks (Report adds "your open incidents").
HOME_SECTIONS: list[Callable[[str], list]] = []


@guarded()
def publish_home(event: dict, client) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    extra = [b for section in HOME_SECTIONS for b in section(event["user"])]
    try:
        client.views_publish(user_id=event["user"], view=home_view(extra))
    except (SlackApiError, SlackClientError) as err:
        log.warning("views.publish failed: %s", error_code(err))
