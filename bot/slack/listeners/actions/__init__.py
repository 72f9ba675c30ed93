from slack_bolt import App

from bot.slack.ids import FEEDBACK_ACTION_PATTERN, STEP_ACTION_PATTERN
from bot.slack.listeners.actions.feedback import record_vote
from bot.slack.listeners.actions.report_steps import record_step
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.action(FEEDBACK_ACTION_PATTERN)(ack=ack_now, lazy=[record_vote])
    app.action(STEP_ACTION_PATTERN)(ack=ack_now, lazy=[record_step])
