"""Office hours and reminders with an injected clock: once inside office hours, none outside them, on
weekends, national holidays (jpholiday) or the town's closed days (knowledge/calendar.toml)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot import store
from bot.incidents import calendar, classify, history, records, reminders, submit, tick
from bot.incidents.calendar import JST


def _jst(y, m, d, hh, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=JST)


def _open_at(when: datetime, key="Ev1"):
    inc = submit(classify("Xで町の偽アカウントを見つけました"), reporter="USAN001", message_key=key).incident
    store.db().execute("update incidents set created = ? where id = ?",
                       [when.astimezone(timezone.utc).isoformat(timespec="seconds"), inc.id])
    return inc


@pytest.mark.parametrize("when, open_", [
    (_jst(2026, 11, 20, 8, 30), True), (_jst(2026, 11, 20, 17, 14), True), (_jst(2026, 11, 20, 17, 15), False),
    (_jst(2026, 11, 20, 8, 29), False), (_jst(2026, 11, 21, 10), False),  # Saturday
    (_jst(2026, 11, 23, 10), False),  # 勤労感謝の日 (jpholiday)
    (_jst(2026, 12, 30, 10), False), (_jst(2027, 1, 4, 10), True),  # 年末年始 (calendar.toml), then open
])
def test_office_hours(when, open_):
    assert calendar.current().is_open(when) is open_


def test_office_hours_count_only_open_time():
    cal = calendar.current()
    # Friday 16:00 → Tuesday 09:30 across a weekend and 勤労感謝の日 (Mon 11/23): 1.25 h + 1 h
    assert cal.office_hours_between(_jst(2026, 11, 20, 16), _jst(2026, 11, 24, 9, 30)) == pytest.approx(2.25)


@pytest.mark.parametrize("now", [
    _jst(2026, 11, 20, 18), _jst(2026, 11, 21, 10), _jst(2026, 11, 22, 10), _jst(2026, 11, 23, 10),
    _jst(2026, 12, 30, 10),
])
def test_no_reminder_outside_office_hours(directory_file, now):
    _open_at(_jst(2026, 11, 2, 9))  # weeks ago: overdue, but it is not office time now
    assert reminders.run(now, sources=[reminders.stalled]) == []


def test_reminded_once_per_period_to_the_heads_then_to_the_owner(directory_file, monkeypatch):
    monkeypatch.setenv("BOT_REMIND_AFTER_HOURS", "4")
    inc = _open_at(_jst(2026, 11, 20, 9))
    assert reminders.run(_jst(2026, 11, 20, 12, 59), sources=[reminders.stalled]) == []  # 3.98 h
    [out] = reminders.run(_jst(2026, 11, 20, 13, 1), sources=[reminders.stalled])
    assert reminders.run(_jst(2026, 11, 20, 15), sources=[reminders.stalled]) == []  # same period
    msg = records.outbox_message(out)
    assert msg.kind == "remind" and msg.extra["to"] == ["USANHEAD", "UGAHEAD"]
    store.db().execute("update incidents set owner = 'UGA0001' where id = ?", [inc.id])
    # next period: Friday 17:00 (8 h) → the owner only
    [out2] = reminders.run(_jst(2026, 11, 20, 17, 0), sources=[reminders.stalled])
    assert records.outbox_message(out2).extra["to"] == ["UGA0001"]
    assert [e.detail["period"] for e in history.history(inc.id) if e.action == "reminded"] == [1, 2]
    # a step done restarts the count
    tick(inc.id, 0, "UGA0001")
    assert reminders.run(_jst(2026, 11, 20, 17, 10), sources=[reminders.stalled]) == []
    store.close_all()  # a restart: what was queued is not queued again
    assert reminders.run(_jst(2026, 11, 20, 17, 0), sources=[reminders.stalled]) == []


def test_weekly_summary_on_the_first_office_day_of_the_week(directory_file, monkeypatch):
    monkeypatch.setenv("BOT_SOUMU_CHANNEL", "C0SOUMU")
    _open_at(_jst(2026, 11, 18, 9))
    assert reminders.run(_jst(2026, 11, 23, 9), sources=[reminders.weekly]) == []  # Monday is 勤労感謝の日
    [out] = reminders.run(_jst(2026, 11, 24, 8, 45), sources=[reminders.weekly])  # Tuesday morning
    assert records.outbox_message(out).channel == "C0SOUMU"
    assert reminders.run(_jst(2026, 11, 25, 9), sources=[reminders.weekly]) == []  # once a week
    assert len(reminders.run(_jst(2026, 11, 30, 9), sources=[reminders.weekly])) == 1  # next Monday


def test_a_closed_day_file_with_a_bad_date_names_the_line():
    from bot.knowledge.read import KnowledgeError

    with pytest.raises(KnowledgeError, match=r"calendar.toml 2行目: 閉庁日「12-32」"):
        calendar.parse('# 閉庁日\nclosed = ["12-32"]\n')
