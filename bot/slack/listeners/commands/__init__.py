from slack_bolt import App

from bot.slack.listeners.commands.sns_ask import SNS_ASK, answer_command
from bot.slack.listeners.commands.sns_check import SNS_CHECK, check_command
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.command(SNS_ASK)(ack=ack_now, lazy=[answer_command])
    app.command(SNS_CHECK)(ack=ack_now, lazy=[check_command])
