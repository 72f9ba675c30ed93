"""Report end to end: the real app against the local fake Slack, in HTTP and Socket Mode. A mention that
reads as a report is offered first (「報告として受け付けますか？」); the reporter's 「報告する」 files it."""

from __future__ import annotations

import json
import time

import pytest

from bot import store
from bot.__main__ import main
from bot.incidents import incidents, offers, records
from tests.fakeslack import payloads
from tests.fakeslack.api import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.incidents.reportflow import (
    BOT,
    CHANNEL,
    delivered,
    delivery_kind,
    message_text,
    offer_click,
    offer_for,
    until,
)


def _not_offer(call) -> bool:
    return delivery_kind(call) != "offer"


def _step_update(call) -> bool:
    """A chat.update of an incident reply (its checklist), not of an offer."""
    return "report_step_" in json.dumps(call.params.get("blocks")) or "report_undo_" in json.dumps(call.params.get("blocks"))


def _no_step_update(fake_slack, settle: float = 0.3) -> None:
    time.sleep(settle)
    assert [c for c in fake_slack.calls_to("chat.update") if _step_update(c)] == []


def _report(slack_app, fake_slack, text: str, user: str, count: int = 1):
    """A mention that reads as a report → the offer → the reporter's 「報告する」 → the ``count``-th message
    that is not an offer (the thread reply, or a notice)."""
    body = payloads.app_mention(f"{BOT} {text}", user=user)
    ack = slack_app.event(body)
    assert ack.status == 200
    offer = offer_for(fake_slack, body)
    assert slack_app.interactive(offer_click(offer, user, fake_slack)).status == 200
    calls = fake_slack.wait_for("chat.postMessage", count=count, where=_not_offer)
    delivered()
    return body, calls[count - 1]


def _button(call, pos: int) -> dict:
    for block in call.params["blocks"]:
        acc = block.get("accessory") or {}
        if acc.get("action_id") == f"report_step_{pos}":
            return acc
    raise AssertionError(f"no button for step {pos}")


def _click(slack_app, fake_slack, reply_call, pos: int, user: str):
    [inc] = [i for i in incidents() if i.thread_ts == reply_call.params["thread_ts"]]
    button = _button(reply_call, pos)
    message = {"ts": records.get(inc.id).reply_ts, "text": reply_call.params["text"], "blocks": reply_call.params["blocks"]}
    payload = payloads.block_actions(button["action_id"], button["value"], message, fake_slack.response_url(),
                                     user=user, block_id=f"report_step_{pos}")
    assert slack_app.interactive(payload).status == 200
    return inc


def test_member_report_tags_head_and_general_affairs_in_thread(slack_app, fake_slack, directory_file):
    body, call = _report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました <https://x.com/urausu_fake|x.com/urausu_fake>", "USAN001")
    event = body["event"]
    offer = offer_for(fake_slack, body)  # asked first, in the mention's thread, naming the type and the URL
    assert offer.params["thread_ts"] == event["ts"] and offer.params["channel"] == CHANNEL
    assert "報告として受け付けますか？" in message_text(offer) and "なりすまし" in message_text(offer) and "https://x.com/urausu_fake" in message_text(offer)
    assert "<@USANHEAD>" not in message_text(offer)  # nobody is tagged before the reporter confirms
    [updated] = fake_slack.wait_for("chat.update", where=lambda c: not _step_update(c))  # the offer says what happened
    assert updated.params["ts"] == offer.response["ts"] and "受け付けました" in message_text(updated)
    assert "report_offer_file" not in message_text(updated)
    assert call.params["channel"] == CHANNEL and call.params["thread_ts"] == event["ts"]
    shown = message_text(call)
    assert "<@USANHEAD>" in shown and "<@UGAHEAD>" in shown
    assert "<@USANHEAD>" in call.params["text"]  # the notification carries the mentions
    assert "7(3)①" in shown and "当該ソーシャルメディア管理者に削除依頼を行い" in shown  # cited verbatim
    assert "反論" in shown and "5(3)" in shown
    assert "プラットフォームへ削除依頼" in shown
    [inc] = incidents()
    assert (inc.type, inc.department, inc.reporter, inc.thread_ts) == ("impersonation", "産業課", "USAN001", event["ts"])
    assert inc.reply_ts  # the reply's ts is kept for chat.update


def test_question_mention_is_answered_as_ask(slack_app, fake_slack, directory_file):
    slack_app.event(payloads.app_mention(f"{BOT} 勤務中にSNSを見てもいいですか", user="USAN001"))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "8(1)⑤" in message_text(call) and "報告として受け付けますか" not in message_text(call)
    assert incidents() == [] and offers.all_offers() == []


def test_unknown_reporter_tags_general_affairs_and_says_department_unknown(slack_app, fake_slack, directory_file):
    _, call = _report(slack_app, fake_slack, "町の投稿が炎上しています", "UOUTSIDER")
    shown = message_text(call)
    assert "<@UGAHEAD>" in shown and "HEAD>" not in shown.replace("<@UGAHEAD>", "")
    assert "所属部署が部署名簿に見つからなかった" in shown
    assert "7(2)①" in shown


def test_retried_delivery_opens_one_incident_and_one_reply(slack_app, fake_slack, directory_file):
    body, _ = _report(slack_app, fake_slack, "なりすましアカウントがあります", "USAN001")
    assert slack_app.event(body, retry_num=1).status == 200
    slack_app.restart()
    assert slack_app.event(body, retry_num=2).status == 200
    fake_slack.assert_no_more("chat.postMessage", 2)  # one offer, one reply
    assert len(incidents()) == 1 and len(offers.all_offers()) == 1
    # the same click again (a double click, or Slack's replay after the restart) files nothing
    assert slack_app.interactive(offer_click(offer_for(fake_slack, body), "USAN001", fake_slack)).status == 200
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert "既に受け付けています" in eph.params["text"] and "報告 #1" in eph.params["text"]
    assert f"https://urausu-town.slack.com/archives/{CHANNEL}/p" in eph.params["text"]  # a link to the thread
    fake_slack.assert_no_more("chat.postMessage", 2)
    assert len(incidents()) == 1


def test_duplicate_url_links_to_the_open_incident(slack_app, fake_slack, directory_file):
    _, first = _report(slack_app, fake_slack, "偽アカウントです https://twitter.com/Urausu_Fake?s=20", "USAN001")
    body, second = _report(slack_app, fake_slack, "なりすましを見つけました <https://x.com/urausu_fake/|x.com/urausu_fake>", "UJUM001", count=2)
    assert second.params["thread_ts"] == body["event"]["ts"]
    shown = message_text(second)
    assert "報告 #1" in shown and "<@UJUM001>" in shown and "<#C0GENERAL>" in shown
    assert len(incidents()) == 1


@pytest.mark.parametrize("user", ["USANHEAD", "UGA0002", "USAN001"])
def test_checklist_click_by_allowed_user_updates_the_reply(slack_app, fake_slack, directory_file, user):
    _, reply = _report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました", "USAN001")
    inc = _click(slack_app, fake_slack, reply, 0, user)
    [update] = fake_slack.wait_for("chat.update", where=_step_update)
    assert update.params["ts"] == records.get(inc.id).reply_ts and update.params["channel"] == CHANNEL
    assert f"~事実確認~ <@{user}>" in message_text(update)
    step = records.get(inc.id).steps[0]
    assert step.done_by == user and step.done_at


def test_a_checklist_click_while_slack_is_still_answering_the_reply_post_still_updates_the_reply(
        slack_app, fake_slack, directory_file):
    # On a slow Slack the reply is visible (and clicked) before chat.postMessage has answered with its ts: the
    # click's update finds nothing to edit yet, so the reply is brought up to date once its ts is known.
    body = payloads.app_mention(f"{BOT} Xで町の偽アカウントを見つけました", user="USAN001")
    slack_app.event(body)
    offer = offer_for(fake_slack, body)
    fake_slack.slow_next("chat.postMessage", 1.5)
    assert slack_app.interactive(offer_click(offer, "USAN001", fake_slack)).status == 200
    [reply] = fake_slack.wait_for("chat.postMessage", where=_not_offer)

    def shown():
        return [m for m in fake_slack.thread_replies(CHANNEL, body["event"]["ts"]) if "report_step_" in json.dumps(m.get("blocks"))]

    until(shown)
    [visible] = shown()
    assert not reply.response.get("ts")  # Slack's answer to the bot is still on the way
    button = _button(reply, 0)
    message = {"ts": visible["ts"], "text": reply.params["text"], "blocks": reply.params["blocks"]}
    click = payloads.block_actions(button["action_id"], button["value"], message, fake_slack.response_url(),
                                   user="USANHEAD", block_id="report_step_0")
    assert slack_app.interactive(click).status == 200
    [update] = fake_slack.wait_for("chat.update", timeout=5, where=_step_update)
    assert update.params["ts"] == visible["ts"] and "~事実確認~ <@USANHEAD>" in message_text(update)
    delivered()
    [inc] = incidents()
    assert inc.steps[0].done_by == "USANHEAD" and inc.reply_ts == visible["ts"]


def test_checklist_click_by_other_user_is_refused_ephemerally(slack_app, fake_slack, directory_file):
    _, reply = _report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました", "USAN001")
    inc = _click(slack_app, fake_slack, reply, 1, "UJUM001")
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert eph.params["user"] == "UJUM001" and "総務課" in eph.params["text"]
    _no_step_update(fake_slack)
    assert not records.get(inc.id).steps[1].done


def test_completing_the_last_step_closes_the_incident(slack_app, fake_slack, directory_file):
    _, reply = _report(slack_app, fake_slack, "町の悪口が書かれています", "USAN001")
    steps = incidents()[0].steps
    for step in steps[:-1]:
        _click(slack_app, fake_slack, reply, step.pos, "UGAHEAD")
    fake_slack.wait_for("chat.update", count=len(steps) - 1, where=_step_update)
    inc = _click(slack_app, fake_slack, reply, steps[-1].pos, "UGAHEAD")
    updates = fake_slack.wait_for("chat.update", count=len(steps), where=_step_update)
    assert "対応が完了しました" in message_text(updates[-1])
    assert records.get(inc.id).status == "closed"
    fake_slack.assert_no_more("chat.postEphemeral", 0)  # nothing left unticked: no confirmation


def test_reply_failure_is_retried_by_the_worker_and_posted_once(slack_app, fake_slack, directory_file):
    fake_slack.fail_next("chat.postMessage", error="internal_error")  # the offer's first post
    body = payloads.app_mention(f"{BOT} 町の公式アカウントを騙るアカウントがあります", user="USAN001")
    slack_app.event(body)
    assert len(offers.all_offers()) == 1  # stored before the ack
    calls = fake_slack.wait_for("chat.postMessage", count=2, timeout=5)  # no restart, no other activity
    assert delivery_kind(calls[1]) == "offer" and calls[1].params["thread_ts"] == body["event"]["ts"]
    delivered()
    fake_slack.fail_next("chat.postMessage", error="internal_error")  # the reply's first post
    slack_app.interactive(offer_click(calls[1], "USAN001", fake_slack))
    assert len(incidents()) == 1  # stored before the ack
    calls = fake_slack.wait_for("chat.postMessage", count=2, timeout=5, where=_not_offer)
    assert calls[1].params["thread_ts"] == body["event"]["ts"] and "<@USANHEAD>" in message_text(calls[1])
    fake_slack.wait_for("conversations.replies", count=2)  # internal_error: looked for it before posting again
    delivered()
    slack_app.restart()
    fake_slack.assert_no_more("chat.postMessage", 4)
    assert len(fake_slack.thread_replies(payloads.CHANNEL, body["event"]["ts"])) == 2  # the offer and the reply


def test_rate_limited_reply_waits_retry_after_in_the_outbox(slack_app, fake_slack, directory_file):
    body = payloads.app_mention(f"{BOT} 町の投稿が炎上しています", user="USAN001")
    slack_app.event(body)
    offer = offer_for(fake_slack, body)
    delivered()
    fake_slack.rate_limit_next("chat.postMessage", times=2, retry_after=1)
    slack_app.interactive(offer_click(offer, "USAN001", fake_slack))
    calls = fake_slack.wait_for("chat.postMessage", count=3, timeout=6, where=_not_offer)
    assert calls[1].at - calls[0].at >= 0.95 and calls[2].at - calls[1].at >= 0.95  # Retry-After honoured
    fake_slack.assert_no_more("chat.postMessage", 4, settle=0.3)
    delivered()
    assert len(fake_slack.thread_replies(payloads.CHANNEL, body["event"]["ts"])) == 2  # the offer and the reply


def _shortcut_report(slack_app, fake_slack, payload, count: int = 1):
    """The shortcut → its modal (views.open) → submitted as it was prefilled; the submission's ack."""
    assert slack_app.interactive(payload).status == 200
    opened = fake_slack.wait_for("views.open", count=count)[-1]
    assert opened.params["trigger_id"] == payload["trigger_id"]
    view = opened.params["view"]
    select = next(b for b in view["blocks"] if b.get("block_id") == "report_type")["element"]
    values = {"report_type": {"choice": {"type": "static_select", "selected_option": select.get("initial_option")}},
              "report_note": {"text": {"type": "plain_text_input", "value": None}}}
    return slack_app.interactive(payloads.view_submission(view, values, user=payload["user"]["id"]))


def test_message_shortcut_reports_the_chosen_message(slack_app, fake_slack, directory_file):
    payload = payloads.message_shortcut("report_message", "町の偽アカウントです https://x.com/urausu_fake",
                                        fake_slack.response_url(), user="UJUM001", author="UELSEWHERE")
    assert _shortcut_report(slack_app, fake_slack, payload).status == 200
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == payload["message"]["ts"]
    assert "<@UJUMHEAD>" in message_text(call) and "<@UGAHEAD>" in message_text(call)
    [inc] = incidents()
    assert inc.reporter == "UJUM001" and inc.type == "impersonation"
    # the same message reported again: the user is told (with a link to the thread), no modal, nothing new
    again = dict(payload, trigger_id="2.x", action_ts=payloads.ts())
    slack_app.interactive(again)
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert "既に報告されています" in eph.params["text"] and "報告 #1" in eph.params["text"]
    assert f"archives/{CHANNEL}/p{payload['message']['ts'].replace('.', '')}" in eph.params["text"]
    assert len(fake_slack.calls_to("views.open")) == 1
    assert len(incidents()) == 1


def test_home_lists_open_incidents(slack_app, fake_slack, directory_file):
    _report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました", "USAN001")
    _report(slack_app, fake_slack, "町の投稿が炎上しています", "UJUM001", count=2)
    slack_app.event(payloads.app_home_opened(user="USANHEAD"))
    [mine] = fake_slack.wait_for("views.publish")
    shown = json.dumps(mine.params["view"], ensure_ascii=False)
    assert "#1 なりすまし" in shown and "#2" not in shown and "次の手順: 事実確認" in shown
    slack_app.event(payloads.app_home_opened(user="UGA0001"))
    calls = fake_slack.wait_for("views.publish", count=2)
    shown = json.dumps(calls[1].params["view"], ensure_ascii=False)
    assert "#1 なりすまし" in shown and "#2 炎上" in shown and "すべて" in shown


def test_export_after_slack_report(slack_app, fake_slack, directory_file, capsys):
    body, reply = _report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました https://x.com/urausu_fake", "USAN001")
    _click(slack_app, fake_slack, reply, 0, "USANHEAD")
    fake_slack.wait_for("chat.update", where=_step_update)
    assert main(["incidents", "--json", "--open"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["channel"] == CHANNEL and item["thread_ts"] == body["event"]["ts"] and item["department"] == "産業課"
    assert [(s["name"], s["done_by"]) for s in item["steps"]] == [("事実確認", "USANHEAD")]
    assert main(["incidents", "--csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "id,type,status,url,reporter,department,channel,thread_ts,created,steps"
    assert "事実確認 (USANHEAD" in out


@pytest.mark.parametrize("argv", [["serve"], ["serve", "--http", "--port", "3999"]], ids=["socket", "http"])
def test_serve_refuses_a_broken_directory_naming_the_line(fake_slack, tmp_path, monkeypatch, capsys, directory_text, argv):
    bad = tmp_path / "bad.toml"
    bad.write_text(directory_text.replace('members = ["UJUM001"]', 'members = ["UJUM001", "jumin"]'), encoding="utf-8")
    monkeypatch.setenv("BOT_DIRECTORY", str(bad))
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    assert main(argv) == 2
    err = capsys.readouterr().err
    line = directory_text.replace('members = ["UJUM001"]', 'members = ["UJUM001", "jumin"]').splitlines().index('members = ["UJUM001", "jumin"]') + 1
    assert f"{line} 行目" in err and "jumin" in err and "Traceback" not in err
    assert fake_slack.calls_to("auth.test") == []  # refused before connecting to Slack


@pytest.mark.parametrize("error", ["not_in_channel"])
def test_unusable_thread_sends_the_incident_to_the_head_and_general_affairs_by_dm(slack_app, fake_slack,
                                                                                  directory_file, error):
    from bot.slack.ids import THREAD_UNREACHABLE as UNREACHABLE
    from tests.fakeslack.api import dm_channel

    assert {"not_in_channel", "channel_not_found", "is_archived"} <= UNREACHABLE  # the same path for each

    fake_slack.channel_errors[payloads.CHANNEL] = error
    body = payloads.app_mention(f"{BOT} 町の投稿が炎上しています", user="USAN001")
    slack_app.event(body)
    delivered()
    [offer] = fake_slack.dms_to("USAN001")  # the offer cannot go to the thread: the reporter gets it by DM
    assert "報告として受け付けますか？" in offer["text"] + json.dumps(offer["blocks"], ensure_ascii=False)
    assert not fake_slack.dms_to("USANHEAD") and incidents() == []
    [offer_call] = fake_slack.calls_to("chat.postMessage")[-1:]
    slack_app.interactive(offer_click(offer_call, "USAN001", fake_slack))
    until(lambda: len(fake_slack.dms_to("UGAHEAD")) == 1)
    delivered()
    for user in ("USAN001", "USANHEAD", "UGAHEAD"):  # reporter, department head, 総務課
        [dm] = [m for m in fake_slack.dms_to(user) if m["metadata"]["event_payload"].get("kind") != "offer"]
        assert "直接お知らせします" in dm["text"]
    opened = {c.params["users"] for c in fake_slack.calls_to("conversations.open")}
    assert opened == {"USAN001", "USANHEAD", "UGAHEAD"}
    dm = fake_slack.dms_to("USANHEAD")[0]
    button = next(b["accessory"] for b in dm["blocks"] if b.get("block_id") == "report_step_0")
    slack_app.interactive(payloads.block_actions(button["action_id"], button["value"], {"ts": dm["ts"], "blocks": dm["blocks"]},
                                                 fake_slack.response_url(), user="USANHEAD", channel=dm_channel("USANHEAD"),
                                                 block_id="report_step_0"))
    updates = fake_slack.wait_for("chat.update", count=3, where=_step_update)
    targets = {(u.params["channel"], u.params["ts"]) for u in updates if "報告 #1（" in u.params["text"]}
    assert targets == {(dm_channel(u), fake_slack.dms_to(u)[-1]["ts"]) for u in ("USAN001", "USANHEAD", "UGAHEAD")}


def test_broken_or_stale_buttons_are_handled_politely(slack_app, fake_slack, directory_file):
    message = {"ts": "1.0", "blocks": []}
    slack_app.interactive(payloads.block_actions("report_step_0", "not-a-step", message, fake_slack.response_url(),
                                                 user="UGAHEAD", block_id="report_step_0"))
    slack_app.interactive(payloads.block_actions("report_step_0", "999:0", message, fake_slack.response_url(),
                                                 user="UGAHEAD", block_id="report_step_0"))
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert "見つかりませんでした" in eph.params["text"]
    _no_step_update(fake_slack)
    fake_slack.assert_no_more("chat.postEphemeral", 1, settle=0.1)


def test_home_says_when_nothing_is_open(slack_app, fake_slack, directory_file):
    slack_app.event(payloads.app_home_opened(user="USAN002"))
    [call] = fake_slack.wait_for("views.publish")
    assert "対応中の報告はありません" in json.dumps(call.params["view"], ensure_ascii=False)


def test_report_is_not_repeated_even_if_the_event_log_was_purged(slack_app, fake_slack, directory_file):
    """Report keeps its own record of handled messages: a retry after the app's event log was cleared
    (e.g. old entries purged) still opens nothing and posts nothing."""
    body, _ = _report(slack_app, fake_slack, "なりすましアカウントがあります", "USAN001")
    store.db().execute("delete from slack_events")
    slack_app.event(body, retry_num=3)
    fake_slack.assert_no_more("chat.postMessage", 2)  # the offer and the reply, once each
    assert len(incidents()) == 1 and len(offers.all_offers()) == 1


def test_forged_or_stale_requests_open_and_tick_nothing(fake_slack, directory_file):
    """HTTP mode: a report, a shortcut or a checklist click with a bad or stale signature is refused (401)."""
    from tests.fakeslack.harness import RunningApp

    running = RunningApp("http", fake_slack)
    try:
        old = int(time.time()) - 6 * 60
        report = payloads.app_mention(f"{BOT} Xで町の偽アカウントを見つけました https://x.com/urausu_fake", user="USAN001")
        assert running.driver.event(report, secret="wrong-secret").status == 401
        assert running.driver.event(report, timestamp=old).status == 401
        shortcut = payloads.message_shortcut("report_message", "町の偽アカウントです https://x.com/urausu_fake",
                                             fake_slack.response_url(), user="USAN001")
        assert running.driver.interactive(shortcut, secret="wrong-secret").status == 401
        assert incidents() == [] and offers.all_offers() == []
        # a forged 「報告する」 on a genuine offer files nothing
        genuine = payloads.app_mention(f"{BOT} 町の投稿が炎上しています", user="USAN001")
        assert running.event(genuine).status == 200
        forged = offer_click(offer_for(fake_slack, genuine), "USAN001", fake_slack)
        assert running.driver.interactive(forged, secret="wrong-secret").status == 401
        assert running.driver.interactive(forged, timestamp=old).status == 401
        time.sleep(0.2)
        assert incidents() == []
        _, reply = _report(running, fake_slack, "Xで町の偽アカウントを見つけました https://x.com/urausu_fake", "USAN001")
        button = _button(reply, 0)
        click = payloads.block_actions(button["action_id"], button["value"], {"ts": reply.params["thread_ts"]},
                                       fake_slack.response_url(), user="USANHEAD", block_id="report_step_0")
        assert running.driver.interactive(click, secret="wrong-secret").status == 401
        assert running.driver.interactive(click, timestamp=old).status == 401
        assert all("受け付けました" in u.params["text"] for u in fake_slack.calls_to("chat.update"))  # offers only
        [incident] = incidents()
        assert all(not s.done for s in incident.steps)
    finally:
        running.stop()


def test_duplicate_url_notice_links_to_the_first_thread(slack_app, fake_slack, directory_file):
    first_body, _ = _report(slack_app, fake_slack, "偽アカウントです https://x.com/urausu_fake", "USAN001")
    _, second = _report(slack_app, fake_slack, "なりすましです https://x.com/urausu_fake", "UJUM001", count=2)
    [asked] = fake_slack.calls_to("chat.getPermalink")
    assert asked.params["channel"] == CHANNEL and asked.params["message_ts"] == first_body["event"]["ts"]
    link = f"https://urausu-town.slack.com/archives/{CHANNEL}/p{first_body['event']['ts'].replace('.', '')}"
    assert f"<{link}|スレッド>" in message_text(second)
    # Slack cannot give a link: the notice still goes out, without it
    fake_slack.fail_next("chat.getPermalink", "message_not_found")
    _, third = _report(slack_app, fake_slack, "偽物です https://x.com/urausu_fake", "UJUM001", count=3)
    assert "報告 #1" in message_text(third) and "|スレッド>" not in message_text(third)
    assert len(incidents()) == 1


def test_report_shortcut_and_click_are_stored_then_acked_without_waiting_for_slack(slack_app, fake_slack, directory_file):
    fake_slack.slow_next("chat.postMessage", 0.6, times=3)
    mention = payloads.app_mention(f"{BOT} Xで町の偽アカウントを見つけました https://x.com/urausu_fake", user="USAN001")
    ack = slack_app.event(mention)
    assert ack.status == 200 and ack.seconds < 1.0
    assert len(offers.all_offers()) == 1 and len(records.pending()) == 1  # stored before the ack, delivered after
    ack = slack_app.interactive(offer_click(offer_for(fake_slack, mention), "USAN001", fake_slack))
    assert ack.status == 200 and ack.seconds < 1.0
    assert len(incidents()) == 1  # the click is stored before its ack, while Slack is still slow
    shortcut = payloads.message_shortcut("report_message", "町の投稿が炎上しています", fake_slack.response_url(),
                                         user="USAN001")
    ack = _shortcut_report(slack_app, fake_slack, shortcut)
    assert ack.status == 200 and ack.seconds < 1.0 and len(incidents()) == 2
    delivered()
    reply = [c for c in fake_slack.calls_to("chat.postMessage") if _not_offer(c)][0]
    [inc] = [i for i in incidents() if i.thread_ts == reply.params["thread_ts"]]
    button = _button(reply, 0)
    fake_slack.slow_next("chat.update", 0.6)
    click = payloads.block_actions(button["action_id"], button["value"],
                                   {"ts": records.get(inc.id).reply_ts, "blocks": reply.params["blocks"]},
                                   fake_slack.response_url(), user="USANHEAD", block_id="report_step_0")
    ack = slack_app.interactive(click)
    assert ack.status == 200 and ack.seconds < 1.0 and records.get(inc.id).steps[0].done_by == "USANHEAD"
    fake_slack.wait_for("chat.update", timeout=5, where=_step_update)


def test_shortcut_on_an_already_reported_message_after_restart_says_so(slack_app, fake_slack, directory_file):
    """After a restart (fresh process state), the first Report wording rendered is the notice for a
    message reported before: it must be that notice, not the internal-error apology."""
    payload = payloads.message_shortcut("report_message", "町の偽アカウントです https://x.com/urausu_fake",
                                        fake_slack.response_url(), user="UJUM001", author="UELSEWHERE")
    assert _shortcut_report(slack_app, fake_slack, payload).status == 200
    fake_slack.wait_for("chat.postMessage")
    delivered()
    slack_app.restart()
    again = dict(payload, trigger_id="2.x", action_ts=payloads.ts())
    assert slack_app.interactive(again).status == 200
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert "既に報告されています" in eph.params["text"] and "報告 #1" in eph.params["text"]
    assert "問題が発生しました" not in message_text(eph)
    fake_slack.assert_no_more("chat.postMessage", 1)
    assert len(incidents()) == 1
