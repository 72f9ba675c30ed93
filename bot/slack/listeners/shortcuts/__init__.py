from slack_bolt import App

from bot.slack.listeners.common import ack_now
from bot.slack.listeners.shortcuts.check_message import CHECK_MESSAGE, check_message
from bot.slack.listeners.shortcuts.report_message import REPORT_MESSAGE, report_message


def register(app: App) -> None:
    app.shortcut(CHECK_MESSAGE)(ack=ack_now, lazy=[check_message])
    app.shortcut(REPORT_MESSAGE)(ack=ack_now, lazy=[report_message])
