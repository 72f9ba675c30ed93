"""Takedown tracking for an impersonation (7(3)①): the form's fields saved (stored before the ack), kept in
the 経過, shown in the reply and the export, 「プラットフォームへ削除依頼」 ticked; the recheck reminder on its
date (injected clock) with 削除を確認した / まだ残っている, both recorded."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.__main__ import main
from bot.incidents import classify, records, submit, takedowns
from bot.incidents.history import history
from bot.incidents.when import JST, seireki, today_jst
from bot.slack.report_outbox import wake_all
from tests.fakeslack import payloads
from tests.fakeslack.api import dm_channel
from tests.incidents.reportflow import file_report, first_updates, until


def _reply(slack_app, fake_slack, user="USAN001"):
    """A report mention, confirmed with 「報告する」 → the incident's thread reply."""
    return file_report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました <https://x.com/urausu_fake>", user)[1]


def _element(blocks, action_id):
    for block in blocks:
        for el in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if el.get("action_id") == action_id:
                return block, el
    raise AssertionError(f"no {action_id}")


def _click(slack_app, fake_slack, message: dict, action_id: str, user: str, channel=payloads.CHANNEL):
    block, el = _element(message["blocks"], action_id)
    payload = payloads.block_actions(action_id, el["value"], message, fake_slack.response_url(), user=user,
                                     channel=channel, block_id=block.get("block_id") or "")
    assert slack_app.interactive(payload).status == 200
    return el["value"]


def _form(slack_app, fake_slack, reply, user="UGA0001"):
    inc = records.get(int(_element(reply.params["blocks"], "takedown_record")[1]["value"]))
    message = {"ts": inc.reply_ts, "text": reply.params["text"], "blocks": reply.params["blocks"]}
    _click(slack_app, fake_slack, message, "takedown_record", user)
    [opened] = fake_slack.wait_for("views.open")
    return inc, opened.params["view"]


def _values(platform="x", requested: date | None = None, reference="", recheck: date | None = None) -> dict:
    v = {"takedown_platform": {"choice": {"type": "static_select",
                                          "selected_option": {"value": platform, "text": {"type": "plain_text", "text": platform}}}},
         "takedown_requested": {"date": {"type": "datepicker", "selected_date": requested.isoformat() if requested else None}},
         "takedown_reference": {"text": {"type": "plain_text_input", "value": reference or None}},
         "takedown_recheck": {"date": {"type": "datepicker", "selected_date": recheck.isoformat() if recheck else None}}}
    return v


def test_form_defaults_saved_fields_tick_and_reply(slack_app, fake_slack, directory_file):
    reply = _reply(slack_app, fake_slack)
    inc, view = _form(slack_app, fake_slack, reply)
    today = today_jst()
    by_block = {b.get("block_id"): b for b in view["blocks"]}
    assert by_block["takedown_platform"]["element"]["initial_option"]["value"] == "x"
    assert by_block["takedown_requested"]["element"]["initial_date"] == today.isoformat()
    assert by_block["takedown_recheck"]["element"]["initial_date"] == (today + timedelta(days=7)).isoformat()
    labels = [o["text"]["text"] for o in by_block["takedown_platform"]["element"]["options"]]
    assert labels == ["X（旧Twitter）", "Instagram", "Facebook", "LINE", "TikTok", "YouTube", "その他"]

    requested, recheck = today - timedelta(days=1), today + timedelta(days=6)
    submission = payloads.view_submission(view, _values("x", requested, "REQ-0042", recheck), user="UGA0001", view_id="VTD1")
    ack = slack_app.interactive(submission)
    assert ack.status == 200 and not (ack.payload or {}).get("errors")
    [t] = takedowns.for_incident(inc.id)  # stored before the ack
    assert (t.platform, t.requested, t.reference, t.recheck, t.status, t.created_by) == \
        ("x", requested.isoformat(), "REQ-0042", recheck.isoformat(), "pending", "UGA0001")
    step = next(s for s in records.get(inc.id).steps if s.name == "プラットフォームへ削除依頼")
    assert step.done_by == "UGA0001"
    logged = [e for e in history(inc.id) if e.action == "takedown_requested"]
    assert len(logged) == 1 and logged[0].detail["reference"] == "REQ-0042"
    [update] = first_updates(fake_slack, records.get(inc.id))  # the reply's update (not the report offer's)
    shown = json.dumps(update.params["blocks"], ensure_ascii=False)
    assert "X（旧Twitter）" in shown and "REQ-0042" in shown and seireki(recheck) in shown and "~プラットフォームへ削除依頼~" in shown
    # a replayed submission records nothing new
    slack_app.interactive(submission)
    assert len(takedowns.for_incident(inc.id)) == 1
    # and the record for the 決裁 shows it
    assert main(["incidents", "--id", str(inc.id), "--format", "md"]) == 0


def test_export_lists_the_takedown(directory_file, capsys):
    inc = submit(classify("偽アカウントです https://x.com/urausu_fake"), reporter="USAN001", channel="C1",
                 thread_ts="1.0", message_key="k1").incident
    r = takedowns.record_request(inc.id, platform="instagram", requested=date(2026, 12, 2), reference="",
                                 recheck=date(2026, 12, 9), user="UGAHEAD")
    assert r.allowed
    assert main(["incidents", "--id", str(inc.id), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "| Instagram | 2026年12月2日 | （なし） | 2026年12月9日 | 確認待ち |" in md
    assert "削除依頼を記録しました | Instagram　依頼日 2026年12月2日　受付番号 （なし）　再確認 2026年12月9日" in md


@pytest.mark.parametrize("values, block, message", [
    (dict(platform="x", requested=date(2026, 12, 2), recheck=date(2026, 12, 1)), "takedown_recheck", "依頼した日以降"),
    (dict(platform="myspace", requested=date(2026, 12, 2), recheck=date(2026, 12, 9)), "takedown_platform", "プラットフォームを選んでください"),
])
def test_a_wrong_form_says_which_field(slack_app, fake_slack, directory_file, values, block, message):
    reply = _reply(slack_app, fake_slack)
    inc, view = _form(slack_app, fake_slack, reply)
    ack = slack_app.interactive(payloads.view_submission(view, _values(**values), user="UGA0001"))
    assert ack.payload["response_action"] == "errors" and message in ack.payload["errors"][block]
    assert takedowns.for_incident(inc.id) == []


def test_someone_else_cannot_open_the_form(slack_app, fake_slack, directory_file):
    reply = _reply(slack_app, fake_slack)
    inc = records.get(int(_element(reply.params["blocks"], "takedown_record")[1]["value"]))
    _click(slack_app, fake_slack, {"ts": inc.reply_ts, "blocks": reply.params["blocks"]}, "takedown_record", "UJUM001")
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert eph.params["user"] == "UJUM001" and "削除依頼を記録できるのは" in eph.params["text"]
    fake_slack.assert_no_more("views.open", 0)


def _at_jst(d: date, hour: int) -> datetime:
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=JST).astimezone(timezone.utc)


def _office_day(start: date) -> date:
    from bot.incidents import calendar

    cal = calendar.current()
    d = start
    while not cal.is_office_day(d):
        d += timedelta(days=1)
    return d


def _rechecks(now: datetime) -> list[int]:
    """One pass of the reminder ticker at ``now`` (injected clock); the recheck reminders it queued."""
    from bot.slack.reminders import tick_once

    queued = tick_once(now, wake=wake_all)
    return [i for i in queued if records.outbox_message(i).extra.get("reminder") == "recheck"]


def _recheck_dm(fake_slack, user: str, count: int = 1):
    def found():
        return [m for m in fake_slack.dms_to(user) if "recheck_removed" in json.dumps(m.get("blocks") or [])]
    until(lambda: len(found()) >= count)
    # a copy: the fake edits its stored message on chat.update, and a second click carries the message as shown
    return copy.deepcopy(found()[count - 1])


def test_recheck_reminder_on_its_date_in_office_hours_then_removed(slack_app, fake_slack, directory_file):
    reply = _reply(slack_app, fake_slack)
    inc, view = _form(slack_app, fake_slack, reply)
    today = today_jst()
    recheck = _office_day(today + timedelta(days=7))
    slack_app.interactive(payloads.view_submission(view, _values("x", today, "R-1", recheck), user="UGA0001"))
    assert _rechecks(_at_jst(recheck - timedelta(days=1), 10)) == []  # not yet
    assert _rechecks(_at_jst(recheck, 20)) == []  # the date has come, but the office is closed (20:00)
    assert _rechecks(_at_jst(recheck, 7)) == []  # nor before 8:30
    assert len(_rechecks(_at_jst(recheck, 10))) == 1
    assert _rechecks(_at_jst(recheck, 14)) == []  # once per recheck date
    dm = _recheck_dm(fake_slack, "UGAHEAD")  # nobody owns it: 総務課 (its head)
    shown = json.dumps(dm["blocks"], ensure_ascii=False)
    assert "削除されたか確認してください" in shown and "R-1" in shown and "https://x.com/urausu_fake" in shown
    assert any(e.action == "reminded" and e.detail.get("source") == "recheck" for e in history(inc.id))
    channel = dm_channel("UGAHEAD")
    _click(slack_app, fake_slack, dm, "recheck_removed", "UGAHEAD", channel=channel)
    _click(slack_app, fake_slack, dm, "recheck_removed", "UGAHEAD", channel=channel)  # a double click
    [t] = takedowns.for_incident(inc.id)
    assert t.status == "removed" and t.checked_by == "UGAHEAD"  # stored before the ack
    [entry] = [e for e in history(inc.id) if e.action == "rechecked"]
    assert entry.actor == "UGAHEAD" and entry.detail["result"] == "removed"
    edited = fake_slack.wait_for("chat.update", where=lambda c: c.params.get("channel") == channel)[0]
    assert "削除を確認した" in json.dumps(edited.params["blocks"], ensure_ascii=False)
    assert "recheck_removed" not in json.dumps(edited.params["blocks"])
    assert _rechecks(_at_jst(_office_day(recheck + timedelta(days=1)), 10)) == []


def test_the_owner_is_asked_when_someone_owns_it(slack_app, fake_slack, directory_file):
    reply = _reply(slack_app, fake_slack)
    inc, view = _form(slack_app, fake_slack, reply)
    from bot import store

    store.db().execute("update incidents set owner = 'UGA0002' where id = ?", [inc.id])
    day = _office_day(today_jst() + timedelta(days=1))
    slack_app.interactive(payloads.view_submission(view, _values("instagram", today_jst(), "", day), user="UGA0001"))
    assert len(_rechecks(_at_jst(day, 11))) == 1
    dm = _recheck_dm(fake_slack, "UGA0002")
    assert "Instagram" in json.dumps(dm["blocks"], ensure_ascii=False)
    assert not [m for m in fake_slack.dms_to("UGAHEAD") if "recheck_removed" in json.dumps(m.get("blocks") or [])]


def test_still_there_sets_the_next_recheck(slack_app, fake_slack, directory_file):
    reply = _reply(slack_app, fake_slack)
    inc, view = _form(slack_app, fake_slack, reply)
    today = today_jst()
    first = _office_day(today)
    slack_app.interactive(payloads.view_submission(view, _values("x", today, "", first), user="UGA0001"))
    assert len(_rechecks(_at_jst(first, 10))) == 1
    dm = _recheck_dm(fake_slack, "UGAHEAD")
    _click(slack_app, fake_slack, dm, "recheck_remaining", "UGAHEAD", channel=dm_channel("UGAHEAD"))
    modal = fake_slack.wait_for("views.open", count=2)[-1].params["view"]
    assert modal["callback_id"] == "recheck_modal"
    later = _office_day(today + timedelta(days=3))
    submission = payloads.view_submission(
        modal, {"recheck_next": {"date": {"type": "datepicker", "selected_date": later.isoformat()}}}, user="UGAHEAD")
    ack = slack_app.interactive(submission)
    assert ack.status == 200 and not (ack.payload or {}).get("errors")
    slack_app.interactive(submission)  # replayed: nothing new
    [t] = takedowns.for_incident(inc.id)
    assert t.status == "pending" and t.recheck == later.isoformat()
    [entry] = [e for e in history(inc.id) if e.action == "rechecked"]
    assert entry.detail == {"takedown": t.id, "platform": "X（旧Twitter）", "result": "remaining", "recheck": later.isoformat()}
    assert _rechecks(_at_jst(later - timedelta(days=1), 10)) == []
    assert len(_rechecks(_at_jst(later, 10))) == 1  # asked again on the new date
