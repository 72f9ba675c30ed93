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

# Report: checklist buttons, action_id report_step_<pos>, value "<incident>:<pos>"
STEP_ACTION_PREFIX = "report_step_"
STEP_BLOCK_PREFIX = "report_step_"
STEP_ACTION_PATTERN = re.compile(r"^report_step_\d+$")

# Slack error codes.
# chat.postEphemeral cannot reach the user in this conversation (e.g. the bot is not a member): the
# reply goes by response_url or direct message instead.
EPHEMERAL_UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived",
                                   "restricted_action", "cannot_dm_bot", "messages_tab_disabled"})
# A Report reply cannot go to the report's thread (bot not in the channel, channel or thread gone): it is
# sent to the reporter by direct message instead, so it is never lost.
THREAD_UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action",
                                "thread_not_found", "message_not_found"})
