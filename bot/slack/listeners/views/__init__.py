from slack_bolt import App

from bot.slack.ids import CHECK_MODAL_ID
from bot.slack.listeners.views.check_modal import ack_check_modal, show_check_result


def register(app: App) -> None:
    app.view(CHECK_MODAL_ID)(ack=ack_check_modal, lazy=[show_check_result])
