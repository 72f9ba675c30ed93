"""The Home tab: publish the how-to view, with the sections of bot.slack.app.HOME_SECTIONS (functions
(user_id, client) → blocks, e.g. the viewer's open incidents), when a user opens it."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Sequence

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks.home import home_view
from bot.slack.delivery import error_code, guarded

log = logging.getLogger(__name__)

HomeSection = Callable[..., list]  # (viewer's user id[, WebClient]) -> blocks


def _takes_client(section: HomeSection) -> bool:
    """Sections may take (user) or (user, client): the client is for permalinks and display names."""
    try:
        params = inspect.signature(section).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in params)


def home_listener(sections: Sequence[HomeSection]) -> Callable[..., None]:
    """The lazy listener for app_home_opened with these extra sections."""
    sections_ = tuple((s, _takes_client(s)) for s in sections)

    @guarded()
    def publish_home(event: dict, client) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        extra = [b for section, wants_client in sections_ for b in
                 (section(event["user"], client) if wants_client else section(event["user"]))]
        try:
            client.views_publish(user_id=event["user"], view=home_view(extra))
        except (SlackApiError, SlackClientError) as err:
            log.warning("views.publish failed: %s", error_code(err))

    return publish_home
