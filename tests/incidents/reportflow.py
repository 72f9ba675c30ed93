"""Helpers for the end-to-end Report tests against the local fake Slack (tests/fakeslack): reading what was
posted, waiting for the app's work, the report Offer (「報告として受け付けますか？」) and its 「報告する」 click,
and filing a report through it."""

from __future__ import annotations

import json
import time

from bot.incidents import incidents, records
from tests.fakeslack import payloads

BOT = "<@U0BOT>"
CHANNEL = payloads.CHANNEL


def message_text(call) -> str:
    """Everything a posted message shows (notification text and blocks)."""
    return json.dumps({"text": call.params.get("text"), "blocks": call.params.get("blocks")}, ensure_ascii=False)


def until(condition, timeout: float = 5.0):
    """Wait until the app finished its work after Slack saw the call (it records delivery afterwards)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def delivered():
    until(lambda: records.pending() == [])


def delivery_kind(call) -> str:
    """The kind of Delivery a posted message is (reply, offer, duplicate…), from its metadata."""
    return ((call.params.get("metadata") or {}).get("event_payload") or {}).get("kind", "")


def offer_for(fake_slack, body) -> object:
    """The offer posted for a mention or DM event (in the mention's thread / in the DM)."""
    event = body["event"]
    [offer] = fake_slack.wait_for("chat.postMessage", where=lambda c: delivery_kind(c) == "offer" and c.params["channel"] in (
        event["channel"], "D" + event["user"][1:]) and c.params.get("thread_ts") in (event.get("thread_ts") or event["ts"], None, ""))
    until(lambda: offer.response.get("ts"))  # Slack answered (a slow answer comes later)
    return offer


def offer_click(offer_call, user: str, fake_slack, action: str = "report_offer_file") -> dict:
    """Slack's payload for a click on one of the offer's buttons."""
    [actions] = [b for b in offer_call.params["blocks"] if b.get("block_id") == "report_offer"]
    [button] = [e for e in actions["elements"] if e["action_id"] == action]
    channel = offer_call.response.get("channel") or offer_call.params["channel"]
    message = {"ts": offer_call.response["ts"], "text": offer_call.params["text"], "blocks": offer_call.params["blocks"]}
    return payloads.block_actions(action, button["value"], message, fake_slack.response_url(), user=user,
                                  channel=channel, block_id="report_offer")


def _offers(fake_slack) -> list:
    return [c for c in fake_slack.calls_to("chat.postMessage") if "report_offer_file" in json.dumps(c.params.get("blocks"))]


def file_report(slack_app, fake_slack, text: str, user: str = "USAN001"):
    """A report mention (confirmed with 「報告する」 when the bot asks first) → (the incident, its reply)."""
    before = len(incidents())
    offers = len(_offers(fake_slack))
    body = payloads.app_mention(f"{BOT} {text}", user=user)
    assert slack_app.event(body).status == 200

    def offered():
        calls = _offers(fake_slack)
        return calls[offers] if len(calls) > offers and calls[offers].response.get("ts") else None

    until(lambda: len(incidents()) > before or offered())
    if len(incidents()) == before:
        assert slack_app.interactive(offer_click(offered(), user, fake_slack)).status == 200
    until(lambda: len(incidents()) > before and records.get(incidents()[-1].id).reply_ts)
    delivered()
    inc = incidents()[-1]
    reply = next(c for c in fake_slack.calls_to("chat.postMessage")
                 if c.params.get("thread_ts") == inc.thread_ts and "report_step_" in json.dumps(c.params.get("blocks")))
    return inc, reply


def reply_updates(fake_slack, inc) -> list:
    """The chat.update calls of the incident's reply (not of an offer)."""
    ts = records.get(inc.id).reply_ts
    return [c for c in fake_slack.calls_to("chat.update") if c.params.get("ts") == ts]


def first_updates(fake_slack, inc, n: int = 1) -> list:
    """The first ``n`` chat.update calls of the incident's reply, once there are that many."""
    until(lambda: len(reply_updates(fake_slack, inc)) >= n)
    return reply_updates(fake_slack, inc)[:n]
