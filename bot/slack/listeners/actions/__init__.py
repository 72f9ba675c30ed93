import re

from slack_bolt import App

from bot.slack.listeners.actions.ask_soumu import ask_soumu, label_question
from bot.slack.listeners.actions.check_draft import check_dm_draft
from bot.slack.listeners.actions.feedback import record_vote
from bot.slack.listeners.actions.report_steps import record_step
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.action(re.compile(r"^feedback_(up|down)$"))(ack=ack_now, lazy=[record_vote])
    app.action(re.compile(r"^report_step_\d+$"))(ack=ack_now, lazy=[record_step])
    app.action("ask_soumu")(ack=ack_now, lazy=[ask_soumu])
    app.action("soumu_label")(ack=ack_now, lazy=[label_question])
    app.action("check_dm_draft")(ack=ack_now, lazy=[check_dm_draft])
