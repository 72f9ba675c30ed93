"""Slack faults against the running app (fake Slack): 5xx, 429 with Retry-After, slow answers, gateway
errors after the work, not_in_channel, a busy database, bursts, frozen Socket Mode links, a failing modal.
A report is a mention → its offer → the reporter's 「報告する」; each report case asserts the incident count,
exactly one offer and exactly one thread reply, and who was notified."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from bot import store
from bot.config import DeliverySettings
from bot.delivery import delay
from bot.incidents import incidents, offers, records
from tests.fakeslack import payloads as P
from tests.fakeslack.harness import RunningApp
from tests.reliability.served import until

BOT = "<@U0BOT>"
WORK_HOURS = "勤務中にSNSを見てもいいですか"


@pytest.fixture
def http_app(fake_slack, fake_socket):
    app = RunningApp("http", fake_slack, fake_socket)
    yield app
    app.stop()


def _report(app, user="USAN001", url="https://x.com/urausu_fake", text="Xで町の偽アカウントを見つけました"):
    body = P.app_mention(f"{BOT} {text} {url}", user=user)
    ack = app.event(body)
    return body, ack


def _kind(message: dict) -> str:
    return ((message.get("metadata") or {}).get("event_payload") or {}).get("kind", "")


def _offers(fake_slack, ts: str) -> list[dict]:
    return [m for m in fake_slack.thread_replies(P.CHANNEL, ts) if _kind(m) == "offer"]


def _offer(fake_slack, body) -> dict:
    """The one offer in the mention's thread, once nothing is pending."""
    ts = body["event"]["ts"]
    assert until(lambda: _offers(fake_slack, ts) and records.pending() == [])
    time.sleep(0.1)
    [offer] = _offers(fake_slack, ts)
    return json.loads(json.dumps(offer))  # as the user sees it now


def _file(app, fake_slack, body, user="USAN001"):
    """The reporter's 「報告する」 on the mention's offer; the click's ack."""
    offer = _offer(fake_slack, body)
    [actions] = [b for b in offer["blocks"] if b.get("block_id") == "report_offer"]
    button = next(e for e in actions["elements"] if e["action_id"] == "report_offer_file")
    return app.interactive(P.block_actions(button["action_id"], button["value"], {"ts": offer["ts"], "blocks": offer["blocks"]},
                                           fake_slack.response_url(), user=user, block_id="report_offer"))


def _shown(message: dict) -> str:
    return message.get("text", "") + json.dumps(message.get("blocks"), ensure_ascii=False)


def _one_reply(fake_slack, body) -> dict:
    ts = body["event"]["ts"]
    replies = lambda: [m for m in fake_slack.thread_replies(P.CHANNEL, ts) if _kind(m) != "offer"]  # noqa: E731
    assert until(lambda: replies() and records.pending() == [])
    time.sleep(0.2)
    [reply] = replies()
    assert len(_offers(fake_slack, ts)) == 1
    assert "<@USANHEAD>" in _shown(reply) and "<@UGAHEAD>" in _shown(reply)
    return reply


def test_outage_heals_by_itself_without_other_activity(http_app, fake_slack, directory_file):
    tries = lambda: len(fake_slack.calls_to("chat.postMessage")) + len(fake_slack.calls_to("conversations.replies"))  # noqa: E731
    fake_slack.outage(503)
    body, ack = _report(http_app)
    assert ack.status == 200 and len(offers.all_offers()) == 1  # the offer is stored while Slack is down
    assert until(lambda: tries() >= 3)  # the worker keeps trying (looking it up first: 503 is unclear)
    fake_slack.recover()
    _offer(fake_slack, body)
    fake_slack.outage(503)
    before = tries()
    assert _file(http_app, fake_slack, body).status == 200 and len(incidents()) == 1  # filed while Slack is down
    assert until(lambda: tries() >= before + 3)
    fake_slack.recover()
    _one_reply(fake_slack, body)
    assert len(incidents()) == 1
    time.sleep(0.3)
    assert not fake_slack.dms_to("UGAHEAD")  # delivered: no alert left to send


def test_backoff_grows_with_jitter_honours_retry_after_and_heals_within_60_s():
    s = DeliverySettings()  # production defaults
    waits = [delay(n, s) for n in range(1, 12)]
    assert waits[0] <= s.backoff_s and waits[4] > waits[0] and max(waits) <= s.max_backoff_s
    assert len({round(delay(3, s), 6) for _ in range(20)}) > 1  # jitter: retries do not march in step
    assert delay(1, s, retry_after=7) >= 7
    assert s.max_backoff_s + s.poll_s < 60  # a recovered Slack is reached within 60 s


@pytest.mark.parametrize("status", [502, 504])  # 500 and 503: tests/slack/test_reliability.py
def test_gateway_errors_on_an_answer_are_retried_and_answered_once(http_app, fake_slack, status):
    fake_slack.fail_next("chat.postEphemeral", "internal_error", status=status)
    http_app.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()))
    calls = fake_slack.wait_for("chat.postEphemeral", count=2, timeout=5)
    assert "【8(1)⑤】" in json.dumps(calls[1].params["blocks"], ensure_ascii=False)
    fake_slack.assert_no_more("chat.postEphemeral", 2, settle=0.2)  # no apology after the answer


def test_slow_slack_never_gives_answer_and_error(fake_slack, fake_socket, monkeypatch):
    monkeypatch.setenv("BOT_SLACK_TIMEOUT_S", "0.4")
    app = RunningApp("http", fake_slack, fake_socket)
    try:
        fake_slack.slow_next("chat.postEphemeral", 0.8)  # Slack answers after the client gave up; it was posted
        app.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()))
        fake_slack.wait_for("chat.postEphemeral")
        fake_slack.assert_no_more("chat.postEphemeral", 1, settle=1.0)
        assert not any("申し訳ありません" in json.dumps(c.params, ensure_ascii=False) for c in fake_slack.calls)
    finally:
        app.stop()


def test_slow_thread_reply_is_found_not_posted_twice(fake_slack, fake_socket, directory_file, monkeypatch):
    monkeypatch.setenv("BOT_SLACK_TIMEOUT_S", "0.4")
    app = RunningApp("http", fake_slack, fake_socket)
    try:
        fake_slack.slow_next("chat.postMessage", 0.8)
        body, _ = _report(app)
        fake_slack.wait_for("conversations.replies", timeout=5)  # the offer, looked up by its metadata key
        _offer(fake_slack, body)
        fake_slack.slow_next("chat.postMessage", 0.8)
        _file(app, fake_slack, body)
        fake_slack.wait_for("conversations.replies", count=2, timeout=5)  # the reply, looked up the same way
        reply = _one_reply(fake_slack, body)
        assert reply["metadata"]["event_type"] == "urausu_delivery"
        assert len(fake_slack.calls_to("chat.postMessage")) == 2
    finally:
        app.stop()


def test_gateway_error_after_the_post_does_not_double_it(http_app, fake_slack, directory_file):
    fake_slack.fail_after_work_next("chat.postMessage", 504)  # the offer
    body, _ = _report(http_app)
    _offer(fake_slack, body)
    fake_slack.fail_after_work_next("chat.postMessage", 504)  # the reply
    _file(http_app, fake_slack, body)
    _one_reply(fake_slack, body)
    assert len(fake_slack.calls_to("chat.postMessage")) == 2 and len(fake_slack.calls_to("conversations.replies")) == 2


def test_repeated_failures_tell_general_affairs_by_dm_once(http_app, fake_slack, directory_file, monkeypatch):
    monkeypatch.setenv("BOT_DELIVERY_ALERT_AFTER", "3")
    body, _ = _report(http_app)
    _offer(fake_slack, body)
    fake_slack.channel_errors[P.CHANNEL] = "internal_error"  # the report's channel keeps failing
    _file(http_app, fake_slack, body)
    assert until(lambda: fake_slack.dms_to("UGAHEAD"))
    [alert] = fake_slack.dms_to("UGAHEAD")
    assert "報告 #1" in alert["text"] and "届いていません" in alert["text"]
    assert "<@" not in alert["text"]
    del fake_slack.channel_errors[P.CHANNEL]
    _one_reply(fake_slack, body)
    assert len(fake_slack.dms_to("UGAHEAD")) == 1 and not fake_slack.dms_to("USAN001")


def test_busy_database_answers_503_fast_and_slacks_retry_is_stored_once(http_app, fake_slack, directory_file,
                                                                        bot_db, monkeypatch):
    monkeypatch.setenv("BOT_ACK_BUSY_S", "0.3")
    store.db()  # migrated
    other = sqlite3.connect(bot_db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    body = P.app_mention(f"{BOT} Xで町の偽アカウントを見つけました https://x.com/urausu_fake", user="USAN001")
    ack = http_app.event(body)
    assert ack.status == 503 and ack.seconds < 1.5
    # an uncovered /sns-ask still gets its answer (the unanswered log is best effort)
    http_app.command(P.slash_command("/sns-ask", "今日の給食の献立を教えてください", fake_slack.response_url()))
    [answer] = fake_slack.wait_for("chat.postEphemeral", timeout=5)
    assert "総務課" in json.dumps(answer.params, ensure_ascii=False)
    other.execute("ROLLBACK")
    other.close()
    assert http_app.event(body, retry_num=1).status == 200
    _file(http_app, fake_slack, body)
    _one_reply(fake_slack, body)
    assert len(incidents()) == 1 and len(offers.all_offers()) == 1


def test_a_burst_of_reports_is_grouped_one_ping(http_app, fake_slack, directory_file):
    bodies = [_report(http_app, url=f"https://x.com/fake_{i}")[0] for i in range(8)]
    for body in bodies:
        _file(http_app, fake_slack, body)
    assert until(lambda: records.pending() == [] and len(fake_slack.calls_to("chat.postMessage")) >= 16)
    time.sleep(0.2)
    assert len(incidents()) == 5  # the limit; the rest joins the latest
    pings = [m for m in fake_slack.all_messages() if "<@UGAHEAD>" in m["text"]]
    assert len(pings) == 5
    group = incidents()[-1]
    notes = [m for m in fake_slack.thread_replies(P.CHANNEL, group.thread_ts) if "まとめます" in _shown(m)]
    assert len(notes) == 3 and all("<@" not in _shown(n) for n in notes)
    for late in bodies[5:]:  # no new thread reply, no new ping: only its offer
        assert [_kind(m) for m in fake_slack.thread_replies(P.CHANNEL, late["event"]["ts"])] == ["offer"]
    # events are handled concurrently: the notes may arrive in any order, but each late report has one
    shown = " ".join(_shown(n) for n in notes)
    assert all(f"https://x.com/fake_{i}" in shown for i in (5, 6, 7))


def test_tick_is_idempotent_and_undo_is_explicit(http_app, fake_slack, directory_file):
    body, _ = _report(http_app)
    _file(http_app, fake_slack, body)
    reply = _one_reply(fake_slack, body)
    tick = next(b["accessory"] for b in reply["blocks"] if b.get("block_id") == "report_step_0")
    click = P.block_actions(tick["action_id"], tick["value"], {"ts": reply["ts"], "blocks": reply["blocks"]},
                            fake_slack.response_url(), user="USANHEAD", block_id="report_step_0")
    for _ in range(3):  # double click, then Slack's replay
        assert http_app.interactive(click).status == 200
    step_updates = lambda: [c for c in fake_slack.calls_to("chat.update") if "report_step_" in json.dumps(c.params)]  # noqa: E731
    assert until(lambda: records.pending() == [] and step_updates())
    time.sleep(0.2)
    [inc] = incidents()
    assert inc.steps[0].done_by == "USANHEAD" and len(step_updates()) == 1
    updated = next(m for m in fake_slack.thread_replies(P.CHANNEL, body["event"]["ts"]) if _kind(m) != "offer")
    undo = next(b["accessory"] for b in updated["blocks"] if b.get("block_id") == "report_step_0")
    assert undo["action_id"] == "report_undo_0" and "取り消す" in undo["text"]["text"]
    undo_click = P.block_actions(undo["action_id"], undo["value"], {"ts": reply["ts"], "blocks": updated["blocks"]},
                                 fake_slack.response_url(), user="UGAHEAD", block_id="report_step_0")
    http_app.interactive(undo_click)
    http_app.interactive(undo_click)  # replayed undo: nothing more
    assert until(lambda: not records.get(inc.id).steps[0].done and records.pending() == [])
    time.sleep(0.2)
    history = [(e["action"], e["user"]) for e in records.step_history(inc.id)]
    assert history == [("tick", "USANHEAD"), ("undo", "UGAHEAD")]


def test_frozen_socket_link_is_noticed_and_reopened(fake_slack, fake_socket, monkeypatch):
    monkeypatch.setenv("BOT_SOCKET_PING_S", "0.5")
    app = RunningApp("socket", fake_slack, fake_socket)
    try:
        before = fake_socket.connects
        frozen_at = time.monotonic()
        fake_socket.freeze_connections()
        fake_socket.wait_connects(before + 1, timeout=8)
        assert time.monotonic() - frozen_at < 15 * 0.5 / 2.5 + 1  # the 15 s bound, scaled to the ping interval
        ack = app.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()))
        assert ack.status == 200
        fake_slack.wait_for("chat.postEphemeral")
    finally:
        app.stop()


def test_modal_that_cannot_be_updated_tells_the_user(http_app, fake_slack):
    http_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    fake_slack.fail_next("views.update", "not_found")
    values = {"draft": {"text": {"type": "plain_text_input", "value": "今日は役場の前で撮った写真です"}},
              "account": {"choice": {"type": "radio_buttons",
                                     "selected_option": {"text": {"type": "plain_text", "text": "private"}, "value": "private"}}}}
    ack = http_app.interactive(P.view_submission(opened.params["view"], values))
    assert ack.status == 200
    [dm] = fake_slack.wait_for("chat.postMessage", timeout=5)
    assert dm.params["channel"] == P.STAFF and "表示できませんでした" in dm.params["text"]
    assert "役場の前" not in dm.text_everywhere  # the draft is not repeated
