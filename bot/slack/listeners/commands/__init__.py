from slack_bolt import App

from bot.slack.ids import SNS_ASK, SNS_CHECK
from bot.slack.listeners.commands.sns_ask import answer_command
from bot.slack.listeners.commands.sns_check import check_command
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.command(SNS_ASK)(ack=ack_now, lazy=[answer_command])
    app.command(SNS_CHECK)(ack=ack_now, lazy=[check_command])
