"""「私的なアカウントとして確認し直す」 / 「公式アカウントとして確認し直す」 under a Check result: check the same
draft as the other account. The draft comes back in the button value (or the result modal's
private_metadata), never from storage; the new result replaces the old one where it was shown (the
ephemeral message through its response_url, the DM message, or the modal by views.update)."""

from __future__ import annotations

from bot.slack import flows
from bot.slack.blocks.common import VIEW_BLOCK_LIMIT, text_blocks
from bot.slack.delivery import guarded, post_private
from bot.slack.ids import CHECK_AGAIN_ACTION_PATTERN
from bot.slack.listeners.check_reply import reply_in_view, reply_privately
from bot.slack.listeners.common import interaction
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.wording import say


@guarded(notify=tell_interaction_user)
def check_again(body: dict, action: dict, client) -> None:
    m = CHECK_AGAIN_ACTION_PATTERN.match(action.get("action_id") or "")
    who = interaction(body)
    if not m or not who.user:
        return
    account = m.group(1)
    view = body.get("view") or {}
    in_view = (body.get("container") or {}).get("type") == "view" and bool(view.get("id"))
    draft = action.get("value") or (view.get("private_metadata") if in_view else "") or ""
    if in_view:
        reply_in_view(client, view_id=view["id"], user=who.user, draft_chars=len(draft),
                      work=lambda: flows.check_reply(draft, account, slack_formatted=False, in_view=True,
                                                     max_blocks=VIEW_BLOCK_LIMIT))
        return
    channel = who.channel or who.user
    if not flows.has_text(draft):  # a button without its draft (should not happen): say so, nothing else
        msg = say("check.j2", "nothing_to_check")
        post_private(client, channel, who.user, text_blocks(msg), msg, response_url=who.response_url)
        return
    reply_privately(client, channel=channel, user=who.user, response_url=who.response_url, draft_chars=len(draft),
                    replace_original=True,
                    work=lambda: flows.check_reply(draft, account, slack_formatted=False))
