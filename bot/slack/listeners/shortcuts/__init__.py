from slack_bolt import App

from bot.slack.ids import CHECK_MESSAGE, REPORT_MESSAGE
from bot.slack.listeners.common import ack_now
from bot.slack.listeners.shortcuts.check_message import check_message
from bot.slack.listeners.shortcuts.report_message import report_message


def register(app: App) -> None:
    app.shortcut(CHECK_MESSAGE)(ack=ack_now, lazy=[check_message])
    app.shortcut(REPORT_MESSAGE)(ack=ack_now, lazy=[report_message])
