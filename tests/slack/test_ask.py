"""Ask in Slack, end to end in both modes: DM, /sns-ask, mentions, feedback buttons, unanswered log."""

import json

from bot.feedback import feedback_rows, unanswered_summary
from tests.fakeslack import payloads as P
from tests.fakeslack.api import BOT_ID

WORK_HOURS = "勤務中にSNSを見てもいいですか"


def _blob(call) -> str:
    return json.dumps(call.params.get("blocks", []), ensure_ascii=False)


def test_dm_question_gets_clause_answer_with_feedback_buttons(slack_app, fake_slack):
    ack = slack_app.event(P.message_im(WORK_HOURS))
    assert ack.status == 200
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.params["channel"] == P.DM
    blob = _blob(call)
    assert "【8(1)⑤】" in blob and "就業時間中のソーシャルメディアの利用は禁止する" in blob
    assert "総務課" in blob and "feedback_up" in blob and "feedback_down" in blob
    assert "http" not in blob  # link-free
    assert call.params["text"]  # notification text for clients that cannot show blocks


def test_sns_ask_answers_only_the_asker(slack_app, fake_slack):
    slack_app.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == (P.CHANNEL, P.STAFF)
    assert "【8(1)⑤】" in _blob(call)
    fake_slack.assert_no_more("chat.postMessage", 0, settle=0.1)


def test_mention_is_answered_in_its_thread(slack_app, fake_slack):
    body = P.app_mention(f"<@U0BOT> {WORK_HOURS}")
    slack_app.event(body)
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.params["channel"] == P.CHANNEL
    assert call.params["thread_ts"] == body["event"]["ts"]
    assert "【8(1)⑤】" in _blob(call)


def test_empty_mention_gets_a_hint(slack_app, fake_slack):
    slack_app.event(P.app_mention("<@U0BOT>"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "例:" in _blob(call)


def test_bot_messages_and_edits_in_dm_are_ignored(slack_app, fake_slack):
    assert slack_app.event(P.message_im("自分の投稿", bot_id=BOT_ID)).status == 200
    assert slack_app.event(P.message_im("編集", subtype="message_changed")).status == 200
    channel_message = P.message_im("チャンネルの発言", channel=P.CHANNEL)
    channel_message["event"]["channel_type"] = "channel"
    assert slack_app.event(channel_message).status == 200  # acked (no Slack retry), not answered
    fake_slack.assert_no_more("chat.postMessage", 0)


def test_unanswered_questions_are_logged_and_counted(slack_app, fake_slack):
    slack_app.event(P.message_im("今日の給食の献立を教えてください"))
    slack_app.command(P.slash_command("/sns-ask", "今日の給食の献立を教えてください？", fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postMessage")
    fake_slack.wait_for("chat.postEphemeral")
    assert "総務課" in _blob(call) and "feedback_up" not in _blob(call)
    [item] = unanswered_summary()
    assert item.count == 2 and "給食" in item.question


def test_empty_question_is_not_logged_as_unanswered(slack_app, fake_slack):
    slack_app.command(P.slash_command("/sns-ask", "   ", fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert "質問が空です" in _blob(call)
    assert unanswered_summary() == []


def _click(slack_app, fake_slack, posted_call, action_id, ephemeral=False, channel=P.DM):
    message = {"ts": "1700000000.000100", "text": posted_call.params["text"], "blocks": posted_call.params["blocks"]}
    [button] = [e for b in posted_call.params["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == action_id]
    payload = P.block_actions(action_id, button["value"], message, fake_slack.response_url("action"),
                              channel=channel, is_ephemeral=ephemeral)
    return slack_app.interactive(payload), message


def test_feedback_click_is_stored_and_buttons_replaced(slack_app, fake_slack):
    slack_app.event(P.message_im(WORK_HOURS))
    [answer] = fake_slack.wait_for("chat.postMessage")
    ack, message = _click(slack_app, fake_slack, answer, "feedback_up")
    assert ack.status == 200
    [update] = fake_slack.wait_for("chat.update")
    assert update.params["channel"] == P.DM and update.params["ts"] == message["ts"]
    assert "feedback_up" not in _blob(update) and "ありがとうございました" in _blob(update)
    assert "【8(1)⑤】" in _blob(update)  # the answer itself stays
    [row] = feedback_rows()
    assert row["vote"] == "up" and row["user"] == P.STAFF and row["question"] == WORK_HOURS
    assert "8(1)⑤" in row["clause_ids"] and row["created"]


def test_feedback_on_ephemeral_answer_uses_response_url(slack_app, fake_slack):
    slack_app.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()))
    [answer] = fake_slack.wait_for("chat.postEphemeral")
    _click(slack_app, fake_slack, answer, "feedback_down", ephemeral=True, channel=P.CHANNEL)
    [resp] = fake_slack.wait_for("response_url")
    assert resp.params["response_type"] == "ephemeral"
    assert "ありがとうございました" in json.dumps(resp.params, ensure_ascii=False)
    [row] = feedback_rows()
    assert row["vote"] == "down"


def test_malformed_feedback_value_is_ignored_without_crash(slack_app, fake_slack):
    message = {"ts": "1.2", "blocks": []}
    slack_app.interactive(P.block_actions("feedback_up", "{not json", message, fake_slack.response_url()))
    slack_app.event(P.message_im(WORK_HOURS))  # still serving
    fake_slack.wait_for("chat.postMessage")
    assert feedback_rows() == []


def test_home_tab_is_published(slack_app, fake_slack):
    slack_app.event(P.app_home_opened())
    [call] = fake_slack.wait_for("views.publish")
    assert call.params["user_id"] == P.STAFF
    view = json.dumps(call.params["view"], ensure_ascii=False)
    assert call.params["view"]["type"] == "home" and "/sns-check" in view and "/sns-ask" in view
    slack_app.event(P.app_home_opened(tab="messages"))
    fake_slack.assert_no_more("views.publish", 1)


def test_very_long_clause_is_sent_whole_over_several_messages(slack_app, fake_slack, monkeypatch):
    from bot.guideline import Clause
    from bot.search import Answer, ScoredClause
    from bot.slack import flows

    long_text = "\n".join(f"第{i}項 " + "職員は町職員としての自覚と責任を持った言動を心がける。" * 20 for i in range(300))
    clause = Clause(id="8(1)①", title="ソーシャルメディアの私的利用", heading="", text=long_text, parent="8(1)")
    monkeypatch.setattr(flows, "ask", lambda q: Answer(q, True, [ScoredClause(clause, 9.0)]))
    slack_app.event(P.message_im("長い条項"))
    calls = fake_slack.wait_for("chat.postMessage", count=2)
    fake_slack.assert_no_more("chat.postMessage", len(calls), settle=0.3)
    calls = fake_slack.calls_to("chat.postMessage")
    assert all(len(c.params["blocks"]) <= 50 for c in calls)
    sections = [b["text"]["text"] for c in calls for b in c.params["blocks"] if b["type"] == "section"]
    assert all(len(s) <= 3000 for s in sections)
    assert long_text in "".join(sections)
    assert "feedback_up" in _blob(calls[-1])  # buttons once, at the end


def test_awkward_questions_get_a_polite_reply(slack_app, fake_slack):
    slack_app.event(P.message_im("あ" * 5000))
    slack_app.event(P.message_im("\u0007\u0000🙂🙂🙂"))
    slack_app.event(P.message_im("勤務中に\u200bSNS😀を見てもいい？"))
    calls = fake_slack.wait_for("chat.postMessage", count=3)
    blobs = [_blob(c) for c in calls]
    assert any("長すぎます" in b for b in blobs)
    assert all("申し訳ありません。処理中に問題" not in b for b in blobs)


def test_home_sections_given_to_the_app_factory_are_shown(slack_app, fake_slack):
    from bot.slack.blocks.common import text_blocks

    slack_app.wiring = {"home_sections": [lambda user: text_blocks(f"{user} さんの報告: 0件")]}
    slack_app.restart()
    slack_app.event(P.app_home_opened())
    [call] = fake_slack.wait_for("views.publish")
    assert f"{P.STAFF} さんの報告: 0件" in json.dumps(call.params["view"], ensure_ascii=False)


def test_dm_with_a_file_is_answered_and_a_file_alone_gets_a_hint(slack_app, fake_slack):
    image = [{"id": "F0IMAGE", "name": "写真.jpg", "mimetype": "image/jpeg"}]
    slack_app.event(P.message_im("勤務中にSNSを見てもいいですか", subtype="file_share", files=image))
    [answer] = fake_slack.wait_for("chat.postMessage")
    assert "【8(1)⑤】" in _blob(answer)
    slack_app.event(P.message_im("", subtype="file_share", files=image))
    _, hint = fake_slack.wait_for("chat.postMessage", count=2)
    assert "読み取れません" in _blob(hint) and "文章で" in _blob(hint)
    fake_slack.assert_no_more("chat.postMessage", 2)
