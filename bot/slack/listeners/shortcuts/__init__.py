from slack_bolt import App

from bot.slack.listeners.common import ack_now
from bot.slack.listeners.shortcuts.check_message import CHECK_MESSAGE, check_message
from bot.slack.listeners.shortcuts.report_message import (
    REPORT_MESSAGE,
    accept_report_shortcut,
    report_message,
    wants_report_shortcut,
)


def register(app: App) -> None:
    from bot.slack import dedupe

    if (wants_report_shortcut, accept_report_shortcut) not in dedupe.ACCEPTORS:
        dedupe.ACCEPTORS.append((wants_report_shortcut, accept_report_shortcut))
    app.shortcut(CHECK_MESSAGE)(ack=ack_now, lazy=[check_message])
    app.shortcut(REPORT_MESSAGE)(ack=ack_now, lazy=[report_message])
