"""An incident's 経過 (bot/incidents/history.py): one list of who did what and when, kept across upgrades."""

from __future__ import annotations

import sqlite3

from bot import store
from bot.incidents import classify, history, incidents, records, submit, tick
from bot.incidents.model import STATUS_LABELS, WITHDRAWN


def _open(text="Xで町の偽アカウントを見つけました https://x.com/urausu_fake", key="Ev1", reporter="USAN001"):
    return submit(classify(text), reporter=reporter, channel="C1", thread_ts="1.0", message_key=key).incident


def test_submit_logs_opened_and_who_the_bot_tagged(directory_file):
    inc = _open()
    entries = history.history(inc.id)
    assert [(e.action, e.actor) for e in entries] == [("opened", "USAN001"), ("notified", "")]
    assert entries[0].detail == {"type": "impersonation", "url": "https://x.com/urausu_fake", "department": "産業課"}
    assert entries[1].detail == {"tagged": ["USANHEAD", "UGAHEAD"]}
    assert all(e.at.endswith("+00:00") for e in entries)
    # a replay of the same message writes nothing more
    submit(classify("Xで町の偽アカウントを見つけました"), reporter="USAN001", message_key="Ev1")
    assert len(history.history(inc.id)) == 2


def test_ticks_undos_and_close_are_folded_into_one_list(directory_file):
    inc = _open()
    tick(inc.id, 1, "USANHEAD")
    tick(inc.id, 1, "USANHEAD", undo=True)
    history.log_action(inc.id, history.NOTE, "UGA0001", {"text": "確認中です"})
    last = inc.steps[-1]
    tick(inc.id, last.pos, "UGAHEAD")
    tick(inc.id, last.pos, "UGAHEAD", undo=True)
    entries = history.history(inc.id)
    assert [e.action for e in entries] == ["opened", "notified", "step_done", "step_undone", "note", "step_done",
                                           "closed", "step_undone", "reopened"]
    assert entries[2].detail == {"step": inc.steps[1].name, "pos": 1} and entries[2].actor == "USANHEAD"
    assert entries[4].detail == {"text": "確認中です"}
    assert entries[6].detail["open_steps"][0] == inc.steps[0].name  # closed with steps left unticked: recorded
    assert history.last_of(inc.id, history.STEP_DONE).detail["step"] == last.name


def test_log_action_inside_a_transaction_rolls_back_with_it(directory_file):
    inc = _open()
    try:
        with records.transaction() as db:
            history.log_action(inc.id, history.CLAIMED, "UGA0001", db=db)
            raise RuntimeError("crash before commit")
    except RuntimeError:
        pass
    assert history.last_of(inc.id, history.CLAIMED) is None
    history.log_action(inc.id, history.CLAIMED, "UGA0001", at="2026-12-01T00:00:00+00:00")
    assert history.last_of(inc.id, history.CLAIMED).at == "2026-12-01T00:00:00+00:00"


def test_withdrawn_status_leaves_the_open_lists(directory_file):
    inc = _open()
    assert STATUS_LABELS[WITHDRAWN] == "取り下げ"
    store.db().execute("update incidents set status = ? where id = ?", [WITHDRAWN, inc.id])
    assert [i.id for i in incidents(open_only=True)] == []
    assert records.get(inc.id).status == WITHDRAWN and not records.get(inc.id).is_open


def test_an_old_database_gains_owner_step_names_and_the_log(tmp_path, monkeypatch, directory_file):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        create table incidents (id integer primary key, type text not null, status text not null, url text default '',
          reporter text not null, department text default '', channel text default '', thread_ts text default '',
          created text not null, message_key text, tagged text default '[]', reply_ts text default '',
          reply_channel text default '', closed text);
        create table steps (id integer primary key, incident integer, pos integer not null, name text not null,
          done_by text, done_at text);
        create table step_log (id integer primary key, incident integer not null, pos integer not null,
          action text not null, user text, at text not null);
        insert into incidents (id, type, status, reporter, created) values (1, 'flaming', 'open', 'U1', '2026-01-05T00:00:00+00:00');
        insert into steps (incident, pos, name, done_by, done_at) values (1, 0, '総務課へ報告済み', 'U1', '2026-01-05T00:01:00+00:00');
        insert into steps (incident, pos, name) values (1, 1, '完了');
        insert into step_log (incident, pos, action, user, at) values (1, 0, 'tick', 'U1', '2026-01-05T00:01:00+00:00');
    """)
    conn.commit()
    conn.close()
    store.close_all()
    monkeypatch.setenv("BOT_DB", str(path))
    inc = records.get(1)
    assert inc.owner == "" and [s.name for s in inc.steps] == ["総務課へ報告済み", "完了"]  # stored steps kept
    assert [(e.action, e.detail) for e in history.history(1)] == [("step_done", {"step": "総務課へ報告済み", "pos": 0})]
    tick(1, 1, "U1")
    assert [e.action for e in history.history(1)] == ["step_done", "step_done", "closed"]
