"""A reply in the thread of a question posted to 総務課's channel (BOT_SOUMU_CHANNEL) is 総務課's answer:
send it to the asker by DM and say so in the thread. Other channel messages are ignored."""

from __future__ import annotations

import logging

from bot import config
from bot.search import escalation
from bot.slack.blocks import ask as abk
from bot.slack.blocks.common import context_blocks
from bot.slack.delivery import guarded, post_message
from bot.slack.wording import say

log = logging.getLogger(__name__)


def is_soumu_reply(event: dict) -> bool:
    channel = config.soumu_channel()
    return bool(
        channel
        and event.get("channel") == channel
        and event.get("thread_ts")
        and event.get("thread_ts") != event.get("ts")
        and event.get("subtype") in (None, "file_share")
        and not event.get("bot_id")
        and event.get("user")
    )


@guarded()
def relay_soumu_reply(event: dict, client) -> None:
    if not is_soumu_reply(event):
        return
    esc = escalation.by_thread(event["channel"], event["thread_ts"])
    if esc is None or not esc.asker:
        return
    text = event.get("text") or ""
    if not text.strip():
        return
    note = say("ask.j2", "soumu_answer_dm", question=esc.question)
    if post_message(client, esc.asker, abk.relayed_answer_blocks(esc.question, text), note):
        escalation.answered(esc.id)
        done = say("ask.j2", "soumu_relayed")
        post_message(client, event["channel"], context_blocks(done), done, thread_ts=event["thread_ts"])
