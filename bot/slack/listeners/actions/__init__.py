import re

from slack_bolt import App

from bot.slack.listeners.actions.feedback import record_vote
from bot.slack.listeners.actions.report_steps import accept_click, record_step, wants_click
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.action(re.compile(r"^feedback_(up|down)$"))(ack=ack_now, lazy=[record_vote])
    from bot.slack import dedupe

    if (wants_click, accept_click) not in dedupe.ACCEPTORS:
        dedupe.ACCEPTORS.append((wants_click, accept_click))
    app.action(re.compile(r"^report_(step|undo)_\d+$"))(ack=ack_now, lazy=[record_step])
