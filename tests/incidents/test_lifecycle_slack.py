"""Report v2 lifecycle end to end (fake Slack, HTTP and Socket Mode): correct the type with the record kept,
取り下げ with a reason, 担当する, the 完了 confirmation, a mention in the thread offering a tick, and reminders
inside office hours only (injected clock)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from bot.incidents import history, incidents, records
from bot.slack import reminders as slack_reminders
from tests.fakeslack import payloads
from tests.incidents.reportflow import (
    BOT,
    CHANNEL,
    delivered,
    file_report,
    first_updates,
    message_text,
    reply_updates,
    until,
)


def _posts(fake_slack) -> list:
    """Messages posted other than offers (replies, notes)."""
    return [c for c in fake_slack.calls_to("chat.postMessage") if "report_offer_file" not in json.dumps(c.params.get("blocks"))]


def _post(fake_slack, n: int):
    until(lambda: len(_posts(fake_slack)) >= n)
    return _posts(fake_slack)[n - 1]


def _no_more_posts(fake_slack, n: int) -> None:
    time.sleep(0.3)
    assert len(_posts(fake_slack)) == n


def _message(inc, reply) -> dict:
    return {"ts": records.get(inc.id).reply_ts, "text": reply.params["text"], "blocks": reply.params["blocks"]}


def _control(reply, action_id: str) -> dict:
    for block in reply.params["blocks"]:
        for el in block.get("elements") or []:
            if el.get("action_id") == action_id:
                return el
        acc = block.get("accessory") or {}
        if acc.get("action_id") == action_id:
            return acc
    raise AssertionError(f"no control {action_id}")


def _click(slack_app, fake_slack, inc, reply, action_id: str, value: str, user: str, block_id: str = "report_controls"):
    payload = payloads.block_actions(action_id, value, _message(inc, reply), fake_slack.response_url(), user=user,
                                     block_id=block_id)
    assert slack_app.interactive(payload).status == 200
    return payload


def _select(slack_app, fake_slack, inc, reply, type_id: str, user: str):
    select = _control(reply, "report_retype")
    option = next(o for o in select["options"] if o["value"].endswith(f":{type_id}"))
    payload = payloads.block_actions("report_retype", "", _message(inc, reply), fake_slack.response_url(), user=user,
                                     block_id="report_controls")
    payload["actions"][0] = {"action_id": "report_retype", "block_id": "report_controls", "type": "static_select",
                             "selected_option": option, "action_ts": payloads.ts()}
    assert slack_app.interactive(payload).status == 200
    return payload


def test_reclassify_replaces_unticked_steps_and_keeps_the_record(slack_app, fake_slack, directory_file):
    inc, reply = file_report(slack_app, fake_slack, "町の投稿が炎上しています")
    assert inc.type == "flaming"
    step = inc.steps[0]
    _click(slack_app, fake_slack, inc, reply, f"report_step_{step.pos}", f"{inc.id}:{step.pos}", "USANHEAD",
           block_id=f"report_step_{step.pos}")
    first_updates(fake_slack, inc)
    payload = _select(slack_app, fake_slack, inc, reply, "negative", "USAN001")
    updates = first_updates(fake_slack, inc, 2)
    shown = message_text(updates[-1])
    assert "否定的な記述の報告" in shown and "問題部分の修正・謝罪" not in shown and "対応方針の決定" in shown
    assert "~事実確認~ <@USANHEAD>" in shown  # the ticked step stays, with who ticked it
    note = _post(fake_slack, 2)
    assert note.params["thread_ts"] == inc.thread_ts and "「炎上」から「否定的な記述」に訂正" in note.params["text"]
    after = records.get(inc.id)
    assert after.type == "negative" and [s.name for s in after.steps] == ["事実確認", "対応方針の決定", "完了"]
    [entry] = [e for e in history.history(inc.id) if e.action == "type_changed"]
    assert (entry.actor, entry.detail["from"], entry.detail["to"]) == ("USAN001", "flaming", "negative")
    assert "問題部分の修正・謝罪" in entry.detail["removed"] and entry.detail["kept"] == ["事実確認"]
    # a replayed selection changes nothing more
    assert slack_app.interactive(payload).status == 200
    delivered()
    _no_more_posts(fake_slack, 2)
    assert len([e for e in history.history(inc.id) if e.action == "type_changed"]) == 1
    # someone else is refused politely
    _select(slack_app, fake_slack, inc, reply, "impersonation", "UJUM001")
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert eph.params["user"] == "UJUM001" and "訂正・取り下げ" in eph.params["text"]
    assert records.get(inc.id).type == "negative"


def test_withdraw_needs_a_reason_and_leaves_the_open_lists(slack_app, fake_slack, directory_file):
    inc, reply = file_report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました https://x.com/urausu_fake")
    _click(slack_app, fake_slack, inc, reply, "report_withdraw", str(inc.id), "USAN001")
    [opened] = fake_slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "report_withdraw_modal" and view["private_metadata"] == str(inc.id)
    empty = slack_app.interactive(payloads.view_submission(view, {"withdraw_reason": {"reason": {"type": "plain_text_input", "value": "  "}}}, user="USAN001"))
    assert empty.payload and empty.payload["response_action"] == "errors"
    assert "理由" in empty.payload["errors"]["withdraw_reason"] and records.get(inc.id).status == "open"
    values = {"withdraw_reason": {"reason": {"type": "plain_text_input", "value": "町とは関係のないアカウントでした"}}}
    submission = payloads.view_submission(view, values, user="USAN001")
    ack = slack_app.interactive(submission)
    assert ack.status == 200 and not (ack.payload or {}).get("errors")
    assert records.get(inc.id).status == "withdrawn"  # stored before the ack
    [update] = first_updates(fake_slack, inc)
    assert "取り下げられました（理由: 町とは関係のないアカウントでした）" in message_text(update)
    assert "report_step_" not in json.dumps([b.get("accessory") for b in update.params["blocks"]])  # no buttons
    note = _post(fake_slack, 2)
    assert note.params["thread_ts"] == inc.thread_ts and "取り下げました" in note.params["text"]
    assert incidents(open_only=True) == []
    [entry] = [e for e in history.history(inc.id) if e.action == "withdrawn"]
    assert entry.actor == "USAN001" and entry.detail == {"reason": "町とは関係のないアカウントでした"}
    slack_app.interactive(submission)  # replayed: nothing more
    delivered()
    _no_more_posts(fake_slack, 2)
    # the same URL may be reported again: it is a new incident
    again, _ = file_report(slack_app, fake_slack, "偽アカウントです https://x.com/urausu_fake", user="UJUM001")
    assert again.id != inc.id and again.is_open


def test_claim_shows_the_owner_and_release_clears_it(slack_app, fake_slack, directory_file):
    inc, reply = file_report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました")
    assert "担当: 未定" in message_text(reply)
    _click(slack_app, fake_slack, inc, reply, "report_claim", str(inc.id), "UGA0001")
    [update] = first_updates(fake_slack, inc)
    assert "担当: <@UGA0001>" in message_text(update) and "担当を外れる" in message_text(update)
    assert records.get(inc.id).owner == "UGA0001"
    note = _post(fake_slack, 2)
    assert "<@UGA0001> さんがこの報告の担当になりました" in note.params["text"]
    _click(slack_app, fake_slack, inc, reply, "report_release", str(inc.id), "UGA0001")
    updates = first_updates(fake_slack, inc, 2)
    assert "担当: 未定" in message_text(updates[-1]) and records.get(inc.id).owner == ""
    assert [e.action for e in history.history(inc.id) if e.action in ("claimed", "released")] == ["claimed", "released"]


def test_done_with_open_steps_asks_first(slack_app, fake_slack, directory_file):
    inc, reply = file_report(slack_app, fake_slack, "町の悪口が書かれています")
    last = inc.steps[-1]
    _click(slack_app, fake_slack, inc, reply, f"report_step_{last.pos}", f"{inc.id}:{last.pos}", "UGAHEAD",
           block_id=f"report_step_{last.pos}")
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert "未完了の手順があります：事実確認、対応方針の決定。このまま完了にしますか？" in eph.params["text"]
    assert records.get(inc.id).status == "open"  # nothing closed yet
    time.sleep(0.3)
    assert reply_updates(fake_slack, inc) == []
    blocks = eph.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    buttons = {e["action_id"]: e for b in blocks for e in b.get("elements") or [] if "action_id" in e}
    assert set(buttons) == {"report_close_confirm", "report_close_cancel"}
    message = {"ts": "", "blocks": blocks}
    cancel = payloads.block_actions("report_close_cancel", buttons["report_close_cancel"]["value"], message,
                                    fake_slack.response_url(), user="UGAHEAD", is_ephemeral=True,
                                    block_id="report_close_confirm")
    slack_app.interactive(cancel)
    time.sleep(0.3)
    assert records.get(inc.id).status == "open"
    confirm = payloads.block_actions("report_close_confirm", buttons["report_close_confirm"]["value"], message,
                                     fake_slack.response_url(), user="UGAHEAD", is_ephemeral=True,
                                     block_id="report_close_confirm")
    assert slack_app.interactive(confirm).status == 200
    assert records.get(inc.id).status == "closed"  # stored before the ack
    [update] = first_updates(fake_slack, inc)
    assert "対応が完了しました" in message_text(update)
    [closed] = [e for e in history.history(inc.id) if e.action == "closed"]
    assert closed.actor == "UGAHEAD" and closed.detail["open_steps"] == ["事実確認", "対応方針の決定"]


def test_a_mention_in_the_thread_offers_to_tick_the_step_it_names(slack_app, fake_slack, directory_file):
    inc, _ = file_report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました https://x.com/urausu_fake")
    body = payloads.app_mention(f"{BOT} Xに削除依頼を出しました", user="USAN001", thread_ts=inc.thread_ts)
    assert slack_app.event(body).status == 200
    offer = _post(fake_slack, 2)
    assert offer.params["thread_ts"] == inc.thread_ts
    assert "「プラットフォームへ削除依頼」を完了にしますか？" in offer.params["text"]
    assert "6(8)" not in message_text(offer) and len(incidents()) == 1  # not an Ask answer, not a new report
    assert slack_app.event(body, retry_num=1).status == 200  # Slack's retry: nothing more
    delivered()
    _no_more_posts(fake_slack, 2)
    button = _control(offer, "report_offer_tick")
    message = {"ts": fake_slack.thread_replies(CHANNEL, inc.thread_ts)[-1]["ts"], "blocks": offer.params["blocks"]}
    click = payloads.block_actions("report_offer_tick", button["value"], message, fake_slack.response_url(),
                                   user="USAN001", block_id="report_step_offer")
    assert slack_app.interactive(click).status == 200
    step = next(s for s in records.get(inc.id).steps if s.name == "プラットフォームへ削除依頼")
    assert step.done_by == "USAN001"
    updates = first_updates(fake_slack, inc, 1)
    assert any("~プラットフォームへ削除依頼~" in message_text(u) for u in updates)
    # a mention that names no step is kept as a note and acknowledged
    other = payloads.app_mention(f"{BOT} 今日中に課長と相談します", user="USANHEAD", thread_ts=inc.thread_ts)
    slack_app.event(other)
    ack = _post(fake_slack, 3)
    assert "経過に記録しました" in ack.params["text"] and ack.params["thread_ts"] == inc.thread_ts
    notes = [e for e in history.history(inc.id) if e.action == "note"]
    assert [n.detail["text"] for n in notes] == ["Xに削除依頼を出しました", "今日中に課長と相談します"]


def _jst(y, m, d, hh, mm=0) -> datetime:
    from bot.incidents.calendar import JST

    return datetime(y, m, d, hh, mm, tzinfo=JST)


def test_reminder_goes_inside_office_hours_only(slack_app, fake_slack, directory_file, monkeypatch):
    inc, _ = file_report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました")
    opened = _jst(2026, 11, 20, 9, 0)  # Friday 09:00 JST
    records.store.db().execute("update incidents set created = ? where id = ?",
                               [opened.astimezone(timezone.utc).isoformat(timespec="seconds"), inc.id])
    now = {"t": _jst(2026, 11, 20, 17, 0)}  # 8 h later, still Friday inside office hours
    monkeypatch.setattr(slack_reminders, "CLOCK", lambda: now["t"])
    monkeypatch.setenv("BOT_REMIND_POLL_S", "0.05")
    monkeypatch.setenv("BOT_REMIND_AFTER_HOURS", "4")
    slack_app.restart()  # the ticker reads its interval at start
    fake_slack.reset()
    dms = lambda: [m for u in ("USANHEAD", "UGAHEAD") for m in fake_slack.dms_to(u)]  # noqa: E731
    until(lambda: len(dms()) == 2)
    assert all("報告 #1" in m["text"] for m in dms())
    assert "開庁時間で 8 時間" in json.dumps(fake_slack.dms_to("UGAHEAD")[0]["blocks"], ensure_ascii=False)
    time.sleep(0.3)  # more ticks in the same period: nothing more
    assert len(dms()) == 2
    for t in (_jst(2026, 11, 20, 18, 0), _jst(2026, 11, 21, 10, 0), _jst(2026, 11, 23, 10, 0)):
        now["t"] = t  # after hours, Saturday, 勤労感謝の日: none
        time.sleep(0.3)
        assert len(dms()) == 2
    [entry] = [e for e in history.history(inc.id) if e.action == "reminded"]
    assert entry.detail["to"] == ["USANHEAD", "UGAHEAD"] and entry.detail["source"] == "stalled"
