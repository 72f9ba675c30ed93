from collections.abc import Sequence

from slack_bolt import App

from bot.slack.listeners.common import ack_now
from bot.slack.listeners.events.app_home_opened import HomeSection, home_listener
from bot.slack.listeners.events.app_mention import MentionRoute, mention_listener
from bot.slack.listeners.events.message_im import dm_listener
from bot.slack.listeners.events.soumu_reply import relay_soumu_reply


def register(app: App, *, mention_routes: Sequence[MentionRoute] = (), home_sections: Sequence[HomeSection] = (),
             dm_routes: Sequence[MentionRoute] = ()) -> None:
    app.event("app_mention")(ack=ack_now, lazy=[mention_listener(mention_routes)])
    # every message event is acknowledged (an unhandled one would make Slack retry); DMs are routed (a report
    # is offered, a question answered), replies in 総務課's threads are relayed to the asker; the rest is ignored
    app.event("message")(ack=ack_now, lazy=[dm_listener(dm_routes), relay_soumu_reply])
    app.event("app_home_opened")(ack=ack_now, lazy=[home_listener(home_sections)])
