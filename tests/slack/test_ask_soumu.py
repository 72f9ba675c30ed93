"""「総務課に聞く」 end to end in both modes, and what Ask does with greetings and drafts pasted into a DM."""

import json
import logging

import pytest

from bot.feedback import unanswered_summary
from bot.search import ask
from tests.fakeslack import payloads as P

SOUMU = "C0SOUMU"
SOUMU_STAFF = "U0SOUMU"
QUESTION = "町のインスタのフォロワーを増やすコツは？"  # not covered by the guideline today
DRAFT = "【お知らせ】明日の町民夏祭りは10時開始です。お問い合わせは担当 佐藤 090-1111-2222 まで。"


def _blob(call) -> str:
    return json.dumps(call.params.get("blocks", []), ensure_ascii=False)


def _element(blocks, action_id):
    return next(e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id)


def _click(slack_app, fake_slack, call, action_id, block_id, channel=P.DM, user=P.STAFF, ts=None):
    message = {"ts": ts or call.params.get("ts") or "1700000000.000100", "text": call.params["text"],
               "blocks": call.params["blocks"]}
    button = _element(call.params["blocks"], action_id)
    payload = P.block_actions(action_id, button["value"], message, fake_slack.response_url("action"),
                              channel=channel, user=user, block_id=block_id)
    return slack_app.interactive(payload)


def _select(slack_app, fake_slack, call, ts, value, user=SOUMU_STAFF):
    message = {"ts": ts, "text": call.params["text"], "blocks": call.params["blocks"]}
    payload = P.block_actions("soumu_label", "", message, fake_slack.response_url("action"), channel=SOUMU,
                              user=user, block_id="soumu_label")
    menu = _element(call.params["blocks"], "soumu_label")
    [option] = [o for o in menu["options"] if o["value"].endswith(value)]
    payload["actions"] = [{"action_id": "soumu_label", "block_id": "soumu_label", "type": "static_select",
                           "selected_option": option, "action_ts": P.ts()}]
    return slack_app.interactive(payload)


def _thread_reply(text, thread_ts, user=SOUMU_STAFF):
    body = P.message_im(text, user=user, channel=SOUMU, thread_ts=thread_ts)
    body["event"]["channel_type"] = "channel"
    return body


def test_question_goes_to_soumu_answer_reaches_asker_and_label_is_used_next_time(slack_app, fake_slack, monkeypatch):
    monkeypatch.setenv("BOT_SOUMU_CHANNEL", SOUMU)
    slack_app.event(P.message_im(QUESTION))
    [answer] = fake_slack.wait_for("chat.postMessage")
    assert "定めがないよう" in _blob(answer) and "ask_soumu" in _blob(answer)

    # the asker clicks 「総務課に聞く」: the question, as written, goes to 総務課's channel
    assert _click(slack_app, fake_slack, answer, "ask_soumu", "ask_soumu").status == 200
    [post] = fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == SOUMU)
    assert QUESTION in _blob(post) and "soumu_label" in _blob(post)
    assert P.STAFF not in _blob(post)  # 総務課 sees the question, not who asked
    [update] = fake_slack.wait_for("chat.update")
    assert "総務課にご質問を送りました" in _blob(update) and "ask_soumu" not in _blob(update)
    post_ts = post.response["ts"]

    # 総務課 answers in the thread: the asker gets it by DM, the thread says so
    reply = "フォロワーを増やす方法はガイドラインにはありません。運用ポリシーの研修資料をご覧ください。"
    slack_app.event(_thread_reply(reply, post_ts))
    [dm] = fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == P.STAFF)
    assert reply in _blob(dm) and QUESTION in _blob(dm)
    fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("thread_ts") == post_ts
                        and "お届けしました" in c.text_everywhere)

    # 総務課 labels it with a clause in one click: the same question is answered with that clause from now on
    _select(slack_app, fake_slack, post, post_ts, "|4(2)②")
    labelled = fake_slack.wait_for("chat.update", count=2)[-1]
    assert "【4(2)②】" in _blob(labelled) and "soumu_label" not in _blob(labelled)
    slack_app.event(P.message_im(QUESTION))
    again = fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == P.DM, count=2)[-1]
    assert "【4(2)②】" in _blob(again) and "定めがないよう" not in _blob(again)
    assert ask(QUESTION).clauses[0].clause.id == "4(2)②"


def _soumu_ts(fake_slack) -> str:
    [call] = [c for c in fake_slack.calls_to("chat.postMessage") if c.params.get("channel") == SOUMU][:1]
    return call.response["ts"]


def test_label_out_of_scope_is_used_for_the_next_question(slack_app, fake_slack, monkeypatch):
    monkeypatch.setenv("BOT_SOUMU_CHANNEL", SOUMU)
    question = "インスタの投稿が何時に一番見られるか知りたい"
    slack_app.command(P.slash_command("/sns-ask", question, fake_slack.response_url()))
    [answer] = fake_slack.wait_for("chat.postEphemeral")
    if "ask_soumu" not in _blob(answer):
        pytest.skip("answered with confidence today; the 範囲外 path is covered by the examples")
    _click(slack_app, fake_slack, answer, "ask_soumu", "ask_soumu", channel=P.CHANNEL)
    [post] = fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == SOUMU)
    _select(slack_app, fake_slack, post, _soumu_ts(fake_slack), "|-")
    fake_slack.wait_for("chat.update")
    assert not ask(question).answered


def test_without_the_setting_there_is_no_button(slack_app, fake_slack, monkeypatch):
    monkeypatch.delenv("BOT_SOUMU_CHANNEL", raising=False)
    slack_app.event(P.message_im(QUESTION))
    [answer] = fake_slack.wait_for("chat.postMessage")
    assert "定めがないよう" in _blob(answer) and "ask_soumu" not in _blob(answer)


def test_greeting_and_usage_get_help_and_are_not_logged(slack_app, fake_slack):
    slack_app.event(P.message_im("こんにちは"))
    slack_app.event(P.message_im("使い方を教えて"))
    calls = fake_slack.wait_for("chat.postMessage", count=2)
    for call in calls:
        assert "/sns-check" in _blob(call) and "定めがないよう" not in _blob(call)
    assert unanswered_summary() == []


def test_draft_in_dm_is_offered_a_check_and_nothing_of_it_is_stored_or_logged(slack_app, fake_slack, bot_db, caplog,
                                                                              monkeypatch):
    # the bot's own loggers at DEBUG (BOT_DEBUG=1); Slack's client and Bolt as `serve` sets them
    caplog.set_level(logging.DEBUG, logger="bot")
    for name, level in (("bot.slack.web", logging.WARNING), ("bot.slack.bolt", logging.ERROR),
                        ("bot.slack.socket", logging.INFO)):
        monkeypatch.setattr(logging.getLogger(name), "level", level)
    slack_app.event(P.message_im(DRAFT))
    [offer] = fake_slack.wait_for("chat.postMessage")
    assert "下書き" in _blob(offer) and "定めがないよう" not in _blob(offer)
    assert _click(slack_app, fake_slack, offer, "check_dm_draft", "check_dm_draft").status == 200
    result = fake_slack.wait_for("chat.postMessage", count=2)[-1]
    assert result.params["channel"] == P.DM and "090-1111-2222" in _blob(result)  # the check names the phone number
    [update] = fake_slack.wait_for("chat.update")
    assert "check_dm_draft" not in _blob(update) and "090-1111-2222" not in _blob(update)
    assert unanswered_summary() == []
    from bot import store

    store.close_all()
    for path in bot_db.parent.glob("bot.db*"):
        data = path.read_bytes()
        assert b"090-1111-2222" not in data and "町民夏祭り".encode() not in data, path
    leaks = [(r.name, r.getMessage()[:80]) for r in caplog.records
             if "090-1111-2222" in r.getMessage() or "町民夏祭り" in r.getMessage()]
    assert leaks == []
