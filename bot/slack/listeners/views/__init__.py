from slack_bolt import App

from bot.slack.ids import (
    CHECK_MODAL_ID,
    NOTICE_MODAL_ID,
    REPORT_MODAL_ID,
    TAKEDOWN_MODAL_ID,
    TAKEDOWN_RECHECK_MODAL_ID,
    WITHDRAW_MODAL,
)
from bot.slack.listeners.common import ack_now
from bot.slack.listeners.views.check_modal import ack_check_modal, show_check_result
from bot.slack.listeners.views.notice_modal import ack_notice_modal
from bot.slack.listeners.views.report_modal import ack_report_modal, file_report
from bot.slack.listeners.views.report_withdraw import ack_withdraw, finish_withdraw
from bot.slack.listeners.views.takedown_modal import ack_takedown, update_reply
from bot.slack.listeners.views.takedown_recheck_modal import ack_remaining, after_remaining


def register(app: App) -> None:
    app.view(CHECK_MODAL_ID)(ack=ack_check_modal, lazy=[show_check_result])
    app.view(REPORT_MODAL_ID)(ack=ack_report_modal, lazy=[file_report])
    app.view_closed(REPORT_MODAL_ID)(ack_now)  # キャンセル: nothing is filed
    app.view(WITHDRAW_MODAL)(ack=ack_withdraw, lazy=[finish_withdraw])
    app.view(NOTICE_MODAL_ID)(ack_notice_modal)
    app.view(TAKEDOWN_MODAL_ID)(ack=ack_takedown, lazy=[update_reply])
    app.view(TAKEDOWN_RECHECK_MODAL_ID)(ack=ack_remaining, lazy=[after_remaining])
