from slack_bolt import App

from bot.slack.ids import (
    CHECK_AGAIN_ACTION_PATTERN,
    CHECK_DRAFT_ACTION,
    CHECK_OPEN_MODAL_ACTION,
    CLAIM_ACTION,
    CLOSE_CANCEL_ACTION,
    CLOSE_CONFIRM_ACTION,
    FEEDBACK_ACTION_PATTERN,
    LABEL_ACTION,
    NOTICE_ACTION_PATTERN,
    OFFER_FILE_ACTION,
    OFFER_QUESTION_ACTION,
    RELEASE_ACTION,
    RETYPE_ACTION,
    SOUMU_ACTION,
    STEP_ACTION_PATTERN,
    STEP_OFFER_TICK_ACTION,
    TAKEDOWN_ACTION,
    TAKEDOWN_RECHECK_REMAINING_ACTION,
    TAKEDOWN_RECHECK_REMOVED_ACTION,
    WITHDRAW_ACTION,
)
from bot.slack.listeners.actions.ask_soumu import ask_soumu, label_question
from bot.slack.listeners.actions.check_again import check_again
from bot.slack.listeners.actions.check_draft import check_dm_draft
from bot.slack.listeners.actions.check_open_modal import open_check_modal
from bot.slack.listeners.actions.feedback import record_vote
from bot.slack.listeners.actions.notice_draft import open_notice
from bot.slack.listeners.actions.report_close import answer_close
from bot.slack.listeners.actions.report_confirm import decide_offer
from bot.slack.listeners.actions.report_incident import record_change
from bot.slack.listeners.actions.report_steps import record_step
from bot.slack.listeners.actions.report_withdraw import open_withdraw_modal
from bot.slack.listeners.actions.step_offer import answer_step_offer
from bot.slack.listeners.actions.takedown_recheck import ask_next_date, record_removed
from bot.slack.listeners.actions.takedown_record import open_takedown_form
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.action(FEEDBACK_ACTION_PATTERN)(ack=ack_now, lazy=[record_vote])
    app.action(STEP_ACTION_PATTERN)(ack=ack_now, lazy=[record_step])
    for action_id in (CLAIM_ACTION, RELEASE_ACTION, RETYPE_ACTION):
        app.action(action_id)(ack=ack_now, lazy=[record_change])
    app.action(WITHDRAW_ACTION)(ack=ack_now, lazy=[open_withdraw_modal])
    app.action(CLOSE_CONFIRM_ACTION)(ack=ack_now, lazy=[answer_close])
    app.action(CLOSE_CANCEL_ACTION)(ack=ack_now, lazy=[answer_close])
    app.action(STEP_OFFER_TICK_ACTION)(ack=ack_now, lazy=[answer_step_offer])
    app.action(OFFER_FILE_ACTION)(ack=ack_now, lazy=[decide_offer])
    app.action(OFFER_QUESTION_ACTION)(ack=ack_now, lazy=[decide_offer])
    app.action(SOUMU_ACTION)(ack=ack_now, lazy=[ask_soumu])
    app.action(LABEL_ACTION)(ack=ack_now, lazy=[label_question])
    app.action(CHECK_DRAFT_ACTION)(ack=ack_now, lazy=[check_dm_draft])
    app.action(CHECK_AGAIN_ACTION_PATTERN)(ack=ack_now, lazy=[check_again])
    app.action(CHECK_OPEN_MODAL_ACTION)(ack=ack_now, lazy=[open_check_modal])
    app.action(NOTICE_ACTION_PATTERN)(ack=ack_now, lazy=[open_notice])
    app.action(TAKEDOWN_ACTION)(ack=ack_now, lazy=[open_takedown_form])
    app.action(TAKEDOWN_RECHECK_REMOVED_ACTION)(ack=ack_now, lazy=[record_removed])
    app.action(TAKEDOWN_RECHECK_REMAINING_ACTION)(ack=ack_now, lazy=[ask_next_date])
