import re

from slack_bolt import App

from bot.slack.listeners.actions.feedback import record_vote
from bot.slack.listeners.actions.report_steps import record_step
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.action(re.compile(r"^feedback_(up|down)$"))(ack=ack_now, lazy=[record_vote])
    app.action(re.compile(r"^report_step_\d+$"))(ack=ack_now, lazy=[record_step])
