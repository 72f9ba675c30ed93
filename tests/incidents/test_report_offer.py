"""Report from anywhere, confirmed first (end to end against the fake Slack, HTTP and Socket Mode): a DM or
a mention that reads as a report gets 「報告として受け付けますか？」; 「報告する」 files it, 「質問でした」 answers
it with Ask, only the reporter may click, and the offer message is updated to say what happened."""

from __future__ import annotations

import json

from bot.incidents import incidents, offers, records
from tests.fakeslack import payloads
from tests.fakeslack.api import dm_channel
from tests.incidents.reportflow import BOT, CHANNEL, delivered, delivery_kind, message_text, offer_click, offer_for, until


def _dm(text: str, user: str = "USAN001") -> dict:
    return payloads.message_im(text, user=user, channel=dm_channel(user))


def test_dm_report_is_offered_then_filed_to_the_reporter_head_and_general_affairs(slack_app, fake_slack, directory_file):
    body = _dm("Xで町の偽アカウントを見つけました https://x.com/urausu_fake")
    assert slack_app.event(body).status == 200
    offer = offer_for(fake_slack, body)
    assert offer.params["channel"] == dm_channel("USAN001") and not offer.params.get("thread_ts")  # in the DM
    shown = message_text(offer)
    assert "報告として受け付けますか？" in shown and "なりすまし" in shown and "https://x.com/urausu_fake" in shown
    assert "報告する" in shown and "質問でした" in shown
    assert incidents() == [] and not fake_slack.dms_to("USANHEAD")  # nothing filed, nobody told yet
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # not answered as a question as well

    assert slack_app.interactive(offer_click(offer, "USAN001", fake_slack)).status == 200
    until(lambda: fake_slack.dms_to("UGAHEAD") and fake_slack.dms_to("USANHEAD"))
    delivered()
    [inc] = incidents()
    assert (inc.type, inc.reporter, inc.department, inc.url) == ("impersonation", "USAN001", "産業課", "https://x.com/urausu_fake")
    assert inc.channel == dm_channel("USAN001") and inc.thread_ts == body["event"]["ts"]
    for user in ("USAN001", "USANHEAD", "UGAHEAD"):  # where a reply goes when its thread cannot be used
        [reply] = [m for m in fake_slack.dms_to(user) if m["metadata"]["event_payload"].get("kind") != "offer"]
        text = reply["text"] + json.dumps(reply["blocks"], ensure_ascii=False)
        assert "ダイレクトメッセージでいただいた報告" in text and "報告 #1" in text and "7(3)①" in text
        assert "プラットフォームへ削除依頼" in text
    assert "<@USANHEAD>" in fake_slack.dms_to("UGAHEAD")[0]["text"]  # the tags are there as in a thread reply
    [update] = [c for c in fake_slack.calls_to("chat.update") if c.params["ts"] == offer.response["ts"]]
    assert "受け付けました" in message_text(update) and "report_offer_file" not in message_text(update)
    assert offers.all_offers()[0].status == "filed" and offers.all_offers()[0].incident == inc.id


def test_mention_declined_as_a_question_gets_the_ask_answer_and_files_nothing(slack_app, fake_slack, directory_file):
    body = payloads.app_mention(f"{BOT} なりすましアカウントがあります", user="USAN001")
    slack_app.event(body)
    offer = offer_for(fake_slack, body)
    assert slack_app.interactive(offer_click(offer, "USAN001", fake_slack, "report_offer_question")).status == 200
    [answer] = fake_slack.wait_for("chat.postMessage", where=lambda c: delivery_kind(c) != "offer")
    assert answer.params["channel"] == CHANNEL and answer.params["thread_ts"] == body["event"]["ts"]
    assert "7(3)" in message_text(answer)  # Ask quotes the clause on impersonation
    [update] = fake_slack.wait_for("chat.update")
    assert update.params["ts"] == offer.response["ts"] and "質問としてお答えしました" in message_text(update)
    assert "report_offer" not in json.dumps(update.params["blocks"])
    delivered()
    assert incidents() == [] and offers.all_offers()[0].status == "declined"
    # a replayed 「質問でした」 answers nothing twice; a late 「報告する」 on the old buttons files nothing
    slack_app.interactive(offer_click(offer, "USAN001", fake_slack, "report_offer_question"))
    slack_app.interactive(offer_click(offer, "USAN001", fake_slack))
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert "質問としてお答えしています" in eph.params["text"]
    fake_slack.assert_no_more("chat.postMessage", 2)
    assert incidents() == []


def test_click_while_slack_is_still_answering_the_offer_post_still_updates_the_offer(slack_app, fake_slack, directory_file):
    # On a slow Slack the offer is visible (and clicked) before chat.postMessage has answered with its ts.
    fake_slack.slow_next("chat.postMessage", 1.5)
    body = payloads.app_mention(f"{BOT} なりすましアカウントがあります", user="USAN001")
    slack_app.event(body)
    [offer] = fake_slack.wait_for("chat.postMessage", where=lambda c: delivery_kind(c) == "offer")
    def posted():
        return [m for m in fake_slack.thread_replies(CHANNEL, body["event"]["ts"]) if "report_offer" in json.dumps(m.get("blocks"))]

    until(posted)
    [shown] = posted()
    offer.response.setdefault("ts", shown["ts"])  # what the user clicked on; Slack's answer to the bot is still on the way
    slack_app.interactive(offer_click(offer, "USAN001", fake_slack, "report_offer_question"))
    [update] = fake_slack.wait_for("chat.update")
    assert update.params["ts"] == shown["ts"] and "質問としてお答えしました" in message_text(update)
    assert "report_offer" not in json.dumps(update.params["blocks"])  # the buttons are gone
    delivered()
    assert incidents() == [] and offers.all_offers()[0].status == "declined"


def test_dm_declined_as_a_question_is_answered_in_the_dm(slack_app, fake_slack, directory_file):
    body = _dm("町の投稿が炎上しています")
    slack_app.event(body)
    offer = offer_for(fake_slack, body)
    slack_app.interactive(offer_click(offer, "USAN001", fake_slack, "report_offer_question"))
    [answer] = fake_slack.wait_for("chat.postMessage", where=lambda c: delivery_kind(c) != "offer")
    assert answer.params["channel"] == dm_channel("USAN001") and "7(2)" in message_text(answer)
    delivered()
    assert incidents() == []


def test_only_the_reporter_may_answer_the_offer(slack_app, fake_slack, directory_file):
    body = payloads.app_mention(f"{BOT} 町の投稿が炎上しています", user="USAN001")
    slack_app.event(body)
    offer = offer_for(fake_slack, body)
    for action in ("report_offer_file", "report_offer_question"):
        assert slack_app.interactive(offer_click(offer, "UGAHEAD", fake_slack, action)).status == 200
    ephs = fake_slack.wait_for("chat.postEphemeral", count=2)
    assert all(e.params["user"] == "UGAHEAD" and "メッセージを送った方だけ" in e.params["text"] for e in ephs)
    fake_slack.assert_no_more("chat.update", 0)
    assert incidents() == [] and offers.all_offers()[0].status == "pending"
    slack_app.interactive(offer_click(offer, "USAN001", fake_slack))  # the reporter still can
    until(lambda: len(incidents()) == 1)


def test_vague_or_question_messages_get_no_offer(slack_app, fake_slack, directory_file):
    for text in ("これ見てください", "なりすましを見つけたらどうすればいいですか？"):
        slack_app.event(payloads.app_mention(f"{BOT} {text}", user="USAN001"))
        slack_app.event(_dm(text))
    calls = fake_slack.wait_for("chat.postMessage", count=4)
    fake_slack.assert_no_more("chat.postMessage", 4)
    assert not any(delivery_kind(c) == "offer" or "報告として受け付けますか" in message_text(c) for c in calls)
    assert offers.all_offers() == [] and records.pending() == []


def test_a_third_partys_thread_is_offered_as_a_negative_post_not_flaming(slack_app, fake_slack, directory_file):
    body = payloads.app_mention(f"{BOT} 5chの浦臼スレで町のごみ処理のことがめっちゃ叩かれてます", user="USAN001")
    slack_app.event(body)
    offer = offer_for(fake_slack, body)
    assert "否定的な記述" in message_text(offer) and "炎上" not in message_text(offer).replace("なりすまし・炎上を報告", "")
    slack_app.interactive(offer_click(offer, "USAN001", fake_slack))
    [reply] = fake_slack.wait_for("chat.postMessage", where=lambda c: delivery_kind(c) == "reply")
    shown = message_text(reply)
    assert "5(3)" in shown and "謝罪" not in shown  # never asks staff to apologise for someone else's thread
