"""The Home tab: publish the how-to view, with the sections of bot.slack.app.HOME_SECTIONS (functions
user_id → blocks, e.g. the viewer's open incidents), when a user opens it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks.home import home_view
from bot.slack.delivery import error_code, guarded

log = logging.getLogger(__name__)

HomeSection = Callable[[str], list]


def home_listener(sections: Sequence[HomeSection]) -> Callable[..., None]:
    """The lazy listener for app_home_opened with these extra sections."""
    sections = tuple(sections)

    @guarded()
    def publish_home(event: dict, client) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        extra = [b for section in sections for b in section(event["user"])]
        try:
            client.views_publish(user_id=event["user"], view=home_view(extra))
        except (SlackApiError, SlackClientError) as err:
            log.warning("views.publish failed: %s", error_code(err))

    return publish_home
