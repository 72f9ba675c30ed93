"""Every id Slack sends back to us (commands, shortcut callback ids, action and block ids, view callback
ids) and the groups of Slack error codes we act on, in one place: builders and register() use these."""

from __future__ import annotations

import re

# Slash commands and message shortcuts (also in manifest.yml)
SNS_ASK = "/sns-ask"
SNS_CHECK = "/sns-check"
CHECK_MESSAGE = "check_message"  # 「投稿前チェック」
REPORT_MESSAGE = "report_message"  # 「なりすまし・炎上を報告」

# Ask: 👍/👎 under an answer
FEEDBACK_BLOCK_ID = "feedback"
FEEDBACK_ACTIONS = {"up": "feedback_up", "down": "feedback_down"}
FEEDBACK_ACTION_PATTERN = re.compile(r"^feedback_(up|down)$")

# Check: the /sns-check modal and its result
CHECK_MODAL_ID = "check_modal"
CHECK_RESULT_ID = CHECK_MODAL_ID + "_result"
DRAFT_BLOCK, DRAFT_ACTION = "draft", "text"
ACCOUNT_BLOCK, ACCOUNT_ACTION = "account", "choice"
# Check: 「私的なアカウントとして確認し直す」 / 「公式アカウントとして確認し直す」 under every result. The action id
# names the account to check as; the draft travels in the button value, or (result modal) in the view's
# private_metadata. A draft too long for either gets CHECK_OPEN_MODAL_ACTION (value: the account) instead.
# (CHECK_AGAIN_*: not the takedown recheck below; all string values are kept as first published)
CHECK_AGAIN_BLOCK = "check_again"
CHECK_AGAIN_ACTIONS = {"private": "check_again_private", "official": "check_again_official"}
CHECK_AGAIN_ACTION_PATTERN = re.compile(r"^check_again_(private|official)$")
CHECK_OPEN_MODAL_ACTION = "check_open_modal"

# Report: checklist buttons, value "<incident>:<pos>". action_id report_step_<pos> marks the step done (a
# second click changes nothing); report_undo_<pos> is 「取り消す」 on a done step, a separate action.
STEP_ACTION_PREFIX = "report_step_"
UNDO_ACTION_PREFIX = "report_undo_"
STEP_BLOCK_PREFIX = "report_step_"
STEP_ACTION_PATTERN = re.compile(r"^report_(step|undo)_\d+$")

# Report: the Offer for a DM or mention that reads as a report (value: the offer id)
REPORT_OFFER_BLOCK = "report_offer"
OFFER_FILE_ACTION = "report_offer_file"  # 「報告する」
OFFER_QUESTION_ACTION = "report_offer_question"  # 「質問でした」

# Report: the modal of the shortcut 「なりすまし・炎上を報告」 (files only when submitted)
REPORT_MODAL_ID = "report_modal"
REPORT_TYPE_BLOCK, REPORT_TYPE_ACTION = "report_type", "choice"
REPORT_NOTE_BLOCK, REPORT_NOTE_ACTION = "report_note", "text"
REPORT_NOTE_MAX = 500  # characters of the optional note

# Slack error codes.
# chat.postEphemeral cannot reach the user in this conversation (e.g. the bot is not a member): the
# reply goes by response_url or direct message instead.
EPHEMERAL_UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived",
                                   "restricted_action", "cannot_dm_bot", "messages_tab_disabled"})
# A Report reply cannot go to the report's thread (bot not in the channel, channel or thread gone): it is
# sent by direct message to the reporter, the department head and 総務課 instead, so nobody is left out.
THREAD_UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action",
                                "thread_not_found", "message_not_found", "team_access_not_granted", "access_denied"})
# Slack answered with an error but may have done the work anyway: a Delivery is looked up before it is
# posted again.
DELIVERY_UNCLEAR = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})
# A direct message that can never be delivered to this person: they are skipped, the others still get it.
DM_IMPOSSIBLE = frozenset({"user_not_found", "cannot_dm_bot", "messages_tab_disabled", "user_disabled",
                           "account_inactive", "user_not_visible"})
# chat.update that can never land (the message was deleted or the conversation is gone): skipped.
UPDATE_GONE = frozenset({"message_not_found", "cant_update_message", "channel_not_found", "not_in_channel",
                         "is_archived", "edit_window_closed"})

# Ask: 「総務課に聞く」, 総務課's one-click label, and the offer to check a draft pasted into a DM
SOUMU_ACTION = "ask_soumu"
SOUMU_BLOCK = "ask_soumu"
LABEL_ACTION = "soumu_label"
LABEL_BLOCK = "soumu_label"
CHECK_DRAFT_ACTION = "check_dm_draft"
CHECK_DRAFT_BLOCK = "check_dm_draft"

# Report: the controls under an incident reply (value "<incident>"; the type select's option values are
# "<incident>:<type id>"). Each click that changes the incident is stored before the ack.
INCIDENT_CONTROLS_BLOCK = "report_controls"
CLAIM_ACTION = "report_claim"  # 「担当する」
RELEASE_ACTION = "report_release"  # 「担当を外れる」
RETYPE_ACTION = "report_retype"  # 「種類を訂正」 (static select)
WITHDRAW_ACTION = "report_withdraw"  # 「取り下げ」 → the modal below
WITHDRAW_MODAL = "report_withdraw_modal"  # private_metadata "<incident>"
WITHDRAW_REASON_BLOCK, WITHDRAW_REASON_ACTION = "withdraw_reason", "reason"
# 「完了」 with steps left: the confirmation (an ephemeral message); value "<incident>:<pos>"
CLOSE_CONFIRM_BLOCK = "report_close_confirm"
CLOSE_CONFIRM_ACTION = "report_close_confirm"  # 完了にする
CLOSE_CANCEL_ACTION = "report_close_cancel"  # 戻る
# A mention in an incident's thread that names a step: 「『…』を完了にしますか？」; value "<incident>:<pos>"
# (the step offer; its ids are kept as first published, so buttons in posted messages still work)
STEP_OFFER_BLOCK = "report_step_offer"
STEP_OFFER_TICK_ACTION = "report_offer_tick"
INCIDENT_ACTIONS = (CLAIM_ACTION, RELEASE_ACTION, RETYPE_ACTION)
# Report, for 総務課: the tools under an impersonation reply (value "<incident>"): the drafts of the website
# notice and the press material (shown in a modal to 総務課 only) and 「削除依頼を記録」 (the takedown modal).
TOOLS_BLOCK = "incident_tools"
NOTICE_ACTIONS = {"website": "notice_website", "press": "notice_press"}
NOTICE_ACTION_PATTERN = re.compile(r"^notice_(website|press)$")
NOTICE_MODAL_ID = "notice_modal"  # private_metadata {"incident": id, "kind": kind}
NOTICE_ACCOUNT_BLOCK, NOTICE_ACCOUNT_ACTION = "notice_account", "name"

# Takedowns (value "<incident>" on 「削除依頼を記録」, "<takedown id>" on the recheck buttons)
TAKEDOWN_ACTION = "takedown_record"
TAKEDOWN_MODAL_ID = "takedown_modal"  # private_metadata {"incident": id}
TAKEDOWN_PLATFORM_BLOCK, TAKEDOWN_PLATFORM_ACTION = "takedown_platform", "choice"
TAKEDOWN_REQUESTED_BLOCK, TAKEDOWN_REQUESTED_ACTION = "takedown_requested", "date"
TAKEDOWN_REFERENCE_BLOCK, TAKEDOWN_REFERENCE_ACTION = "takedown_reference", "text"
TAKEDOWN_RECHECK_BLOCK, TAKEDOWN_RECHECK_ACTION = "takedown_recheck", "date"
TAKEDOWN_ANSWER_BLOCK = "takedown_recheck_answer"
# The recheck reminder and its modal (TAKEDOWN_RECHECK_*, string values kept as first published)
TAKEDOWN_RECHECK_REMOVED_ACTION = "recheck_removed"  # 削除を確認した
TAKEDOWN_RECHECK_REMAINING_ACTION = "recheck_remaining"  # まだ残っている → the modal below
TAKEDOWN_RECHECK_MODAL_ID = "recheck_modal"  # private_metadata {"takedown": id, "channel": …, "ts": …}
TAKEDOWN_NEXT_RECHECK_BLOCK, TAKEDOWN_NEXT_RECHECK_ACTION = "recheck_next", "date"
