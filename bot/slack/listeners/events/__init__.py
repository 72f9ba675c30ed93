from slack_bolt import App

from bot.slack.listeners.common import ack_now
from bot.slack.listeners.events.app_home_opened import publish_home
from bot.slack.listeners.events.app_mention import handle_mention
from bot.slack.listeners.events.message_im import answer_direct_message


def register(app: App) -> None:
    app.event("app_mention")(ack=ack_now, lazy=[handle_mention])
    # every message event is acknowledged (an unhandled one would make Slack retry); only DMs are answered
    app.event("message")(ack=ack_now, lazy=[answer_direct_message])
    app.event("app_home_opened")(ack=ack_now, lazy=[publish_home])
