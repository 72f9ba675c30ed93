"""The buttons of an Offer. 「報告する」 files the incident: the click is an Acceptor (the incident, its reply
Delivery and the offer message's update are stored in the transaction before the ack; interactive payloads
have no event id, so a replayed click is recognised by the offer's state: it files nothing twice).
「質問でした」 declines the offer the same way and answers the original message as an Ask question (its text
is read back from Slack; it was never stored). Only the reporter may click; others get an ephemeral line."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.incidents import offers, records
from bot.slack import flows
from bot.slack.blocks.common import text_blocks
from bot.slack.blocks.offer import parse_offer_value
from bot.slack.delivery import error_code, guarded, post_message, post_private
from bot.slack.ids import OFFER_FILE_ACTION, OFFER_QUESTION_ACTION
from bot.slack.listeners.common import block_action, interaction
from bot.slack.listeners.events.ask_mention import reply_with_answer
from bot.slack.listeners.notify import tell_interaction_user
from bot.slack.report_outbox import deliver_now, thread_link
from bot.slack.text import without_mentions
from bot.slack.wording import say

log = logging.getLogger(__name__)
_ACTIONS = (OFFER_FILE_ACTION, OFFER_QUESTION_ACTION)


def _action(body: dict) -> dict | None:
    return block_action(body, lambda aid: aid in _ACTIONS)


def wants_offer_click(body: dict) -> bool:
    return _action(body) is not None


def _decide(body: dict, action: dict, db=None) -> offers.Decision | None:
    try:
        offer_id = parse_offer_value(action.get("value") or "")
    except ValueError:
        log.warning("offer button with a malformed value ignored")
        return None
    user = interaction(body).user
    if action.get("action_id") == OFFER_FILE_ACTION:
        return offers.file(offer_id, user, db=db)
    return offers.decline(offer_id, user, db=db)


def accept_offer_click(body: dict, db) -> dict:
    """Ack path: 「報告する」 → incident + reply Delivery + offer update; 「質問でした」 → declined + offer update."""
    return {"offer_decision": _decide(body, _action(body), db)}


def _tell(client, who, text: str) -> None:
    post_private(client, who.channel, who.user, text_blocks(text), text, response_url=who.response_url)


@guarded(notify=tell_interaction_user)
def decide_offer(body: dict, action: dict, client, context=None) -> None:
    who = interaction(body)
    if context is not None and "offer_decision" in context:
        decision = context["offer_decision"]
    else:
        decision = _decide(body, action)
    if decision is None or decision.offer is None:
        return _tell(client, who, say("report.j2", "offer_gone"))
    offer = decision.offer
    if not decision.allowed:
        return _tell(client, who, say("report.j2", "offer_not_yours"))
    if not decision.changed:  # decided before: a second click, or Slack's replay
        if offer.status == offers.FILED and offer.incident:
            incident = records.get(offer.incident)
            link = thread_link(client, incident, body) if incident else ""
            return _tell(client, who, say("report.j2", "offer_already_filed", incident_id=offer.incident, permalink=link))
        if action.get("action_id") == OFFER_FILE_ACTION:
            return _tell(client, who, say("report.j2", "offer_already_declined"))
        return
    if offer.status == offers.FILED:
        if decision.opened is not None and decision.opened.outbox_id is not None:
            deliver_now(client, decision.opened.outbox_id)  # the incident's reply (or the duplicate notice)
        deliver_now(client, decision.outbox_id)  # the offer message: 受け付けました, no buttons
        return
    deliver_now(client, decision.outbox_id)  # the offer message: 質問としてお答えしました
    answer_question(client, offer)


def _original_text(client, offer: offers.Offer) -> str | None:
    """The text of the message the offer was made for, read back from Slack (never stored by the bot)."""
    ts = offer.message_ts
    try:
        if offer.thread_ts and offer.thread_ts != ts:
            resp = client.conversations_replies(channel=offer.channel, ts=offer.thread_ts, limit=200)
        else:
            resp = client.conversations_history(channel=offer.channel, latest=ts, oldest=ts, inclusive=True, limit=1)
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("offer %s: the original message could not be read (%s)", offer.id, error_code(err))
        return None
    for message in resp.get("messages") or []:
        if str(message.get("ts")) == ts:
            return str(message.get("text") or "")
    return None


def answer_question(client, offer: offers.Offer) -> None:
    """「質問でした」: answer the original message with Ask, where a question there would have been answered."""
    text = _original_text(client, offer)
    if text is None:
        msg = say("report.j2", "question_unreadable")
        post_message(client, offer.channel, text_blocks(msg), msg, thread_ts=offer.thread_ts or None)
        return
    if offer.source == "mention":
        event = {"channel": offer.channel, "ts": offer.message_ts, "thread_ts": offer.thread_ts, "user": offer.reporter}
        return reply_with_answer(event=event, text=without_mentions(text), client=client)
    result, blocks = flows.answer(text, user=offer.reporter, source="dm", log_now=False)
    post_message(client, offer.channel, blocks, flows.answer_text(result), thread_ts=offer.thread_ts or None)
    flows.note_unanswered(result, text, offer.reporter, "dm")
