"""Opening incidents: routing to the right heads, retries, duplicate URLs, who may tick, reply data."""

from __future__ import annotations

import sqlite3

import pytest

from bot import store
from bot.incidents import classify, incidents, open_incidents_for, records, reply_for, submit, tick
from bot.search.index import current_index


def _report(text="Xで町の偽アカウントを見つけました https://x.com/urausu_fake"):
    report = classify(text)
    assert report is not None
    return report


def _restart(monkeypatch):
    """What a process restart does to our state: new connections, a new run id."""
    store.close_all()
    monkeypatch.setattr(records, "RUN_ID", "next-run")


def test_member_report_tags_department_head_and_general_affairs(directory_file):
    opened = submit(_report(), reporter="USAN001", channel="C1", thread_ts="100.1", message_key="Ev1")
    assert opened.created
    inc = opened.incident
    assert (inc.type, inc.status, inc.department) == ("impersonation", "open", "産業課")
    assert inc.url == "https://x.com/urausu_fake"
    assert (inc.channel, inc.thread_ts) == ("C1", "100.1")
    reply = reply_for(inc.id)
    assert reply.mentions == ("USANHEAD", "UGAHEAD")
    assert reply.department_known and reply.department == "産業課"
    assert [s.name for s in reply.steps] == [
        "事実確認", "プラットフォームへ削除依頼", "公式ホームページで周知", "必要に応じ報道機関へ資料提供", "完了",
    ]
    assert not any(s.done for s in reply.steps)


def test_unknown_reporter_tags_only_general_affairs(directory_file):
    opened = submit(_report(), reporter="UOUTSIDER", channel="C1", thread_ts="1.0", message_key="Ev1")
    reply = reply_for(opened.incident.id)
    assert reply.mentions == ("UGAHEAD",)
    assert not reply.department_known and reply.department == ""
    assert opened.incident.department == ""


def test_general_affairs_member_reports_to_general_affairs_head(directory_file):
    reply = reply_for(submit(_report(), reporter="UGA0001", message_key="Ev1").incident.id)
    assert reply.department == "総務課" and reply.mentions == ("UGAHEAD",)


def test_head_reporting_is_not_tagged_himself(directory_file):
    reply = reply_for(submit(_report(), reporter="USANHEAD", message_key="Ev1").incident.id)
    assert reply.mentions == ("UGAHEAD",)


def test_without_directory_nobody_is_tagged_and_reply_says_so(no_directory):
    reply = reply_for(submit(_report(), reporter="USAN001", message_key="Ev1").incident.id)
    assert reply.mentions == () and not reply.directory_configured and not reply.department_known


@pytest.mark.parametrize(
    "text, clause_ids",
    [
        ("Xで町の偽アカウントを見つけました", ["7(3)①", "7(3)②", "5(3)"]),
        ("町の投稿が炎上しています", ["7(2)①", "7(2)②", "7(2)③", "5(3)"]),
        ("町の悪口が書かれています", ["5(3)", "8(3)④"]),
    ],
)
def test_reply_cites_clauses_verbatim_with_do_not_rebut(directory_file, text, clause_ids):
    reply = reply_for(submit(_report(text), reporter="USAN001", message_key="Ev1").incident.id)
    assert [c.id for c in reply.clauses] == clause_ids
    guideline = current_index().guideline
    for c in reply.clauses:
        assert c.text == guideline.get(c.id).text
    rebut = [c for c in reply.clauses if c.do_not_rebut]
    assert rebut and any("反論" in c.text for c in rebut)


def test_retried_event_opens_nothing_new(directory_file):
    first = submit(_report(), reporter="USAN001", channel="C1", thread_ts="1.0", message_key="Ev1")
    again = submit(_report(), reporter="USAN001", channel="C1", thread_ts="1.0", message_key="Ev1")
    assert again.retry and not again.created and again.outbox_id is None
    assert again.incident.id == first.incident.id
    assert len(incidents()) == 1 and len(records.pending()) == 1


def test_retried_event_after_restart_opens_nothing_new(directory_file, monkeypatch):
    first = submit(_report("町の投稿が炎上しています"), reporter="USAN001", message_key="EvR")
    _restart(monkeypatch)
    again = submit(_report("町の投稿が炎上しています"), reporter="USAN001", message_key="EvR")
    assert again.retry and again.incident.id == first.incident.id
    assert len(incidents()) == 1 and len(records.pending()) == 1


def test_message_key_is_unique_in_the_database(directory_file):
    submit(_report(), reporter="USAN001", message_key="EvU")
    db = store.db()
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into incidents (type, status, reporter, created, message_key) values ('x', 'open', 'U1', 'now', 'EvU')")


def test_same_url_while_open_links_to_the_existing_incident(directory_file):
    first = submit(_report("偽アカウントです https://twitter.com/Urausu_Fake/?s=20"), reporter="USAN001", channel="C1", thread_ts="1.0", message_key="Ev1")
    second = submit(_report("なりすましを見つけました <https://x.com/urausu_fake|x.com/urausu_fake>"), reporter="UJUM001", channel="C2", thread_ts="2.0", message_key="Ev2")
    assert second.duplicate and not second.created
    assert second.incident.id == first.incident.id
    assert len(incidents()) == 1
    notice = records.outbox_message(second.outbox_id)
    assert (notice.kind, notice.channel, notice.thread_ts) == ("duplicate", "C2", "2.0")
    # a retry of the duplicate report queues nothing more
    assert submit(_report("なりすましを見つけました https://x.com/urausu_fake"), reporter="UJUM001", message_key="Ev2").retry
    assert len(records.pending()) == 2


def test_same_url_after_completion_opens_a_new_incident(directory_file):
    first = submit(_report(), reporter="USAN001", message_key="Ev1")
    last = first.incident.steps[-1].pos
    assert tick(first.incident.id, last, "UGAHEAD").incident.status == "closed"
    second = submit(_report(), reporter="USAN001", message_key="Ev2")
    assert second.created and second.incident.id != first.incident.id


def test_reports_without_url_are_never_merged(directory_file):
    a = submit(_report("町の投稿が炎上しています"), reporter="USAN001", message_key="Ev1")
    b = submit(_report("町の投稿が炎上しています"), reporter="USAN002", message_key="Ev2")
    assert a.incident.id != b.incident.id and b.created


@pytest.mark.parametrize("user", ["USAN001", "USANHEAD", "UGAHEAD", "UGA0002"])
def test_allowed_users_tick_with_who_and_when(directory_file, user):
    inc = submit(_report(), reporter="USAN001", message_key="Ev1").incident
    result = tick(inc.id, 0, user)
    assert result.allowed
    assert result.step.name == "事実確認" and result.step.done_by == user and result.step.done_at
    stored = records.get(inc.id).steps[0]
    assert stored.done_by == user


@pytest.mark.parametrize("user", ["UJUMHEAD", "UJUM001", "USAN002", "UOUTSIDER"])
def test_other_users_are_refused(directory_file, user):
    inc = submit(_report(), reporter="USAN001", message_key="Ev1").incident
    result = tick(inc.id, 1, user)
    assert not result.allowed and "総務課" in result.message
    assert not records.get(inc.id).steps[1].done
    assert records.pending()[-1].kind == "reply"  # no update queued


def test_a_second_click_keeps_the_tick_and_undo_is_a_separate_recorded_action(directory_file):
    inc = submit(_report(), reporter="USAN001", message_key="Ev1").incident
    first = tick(inc.id, 0, "USAN001")
    again = tick(inc.id, 0, "USANHEAD")  # double click or a replayed click
    assert again.step.done and again.step.done_by == "USAN001" and again.outbox_id is None
    undone = tick(inc.id, 0, "USANHEAD", undo=True)
    assert not undone.step.done and undone.outbox_id is not None
    assert tick(inc.id, 0, "USANHEAD", undo=True).outbox_id is None  # a replayed undo changes nothing
    log = records.step_history(inc.id)
    assert [(e["action"], e["user"]) for e in log] == [("tick", "USAN001"), ("undo", "USANHEAD")]
    assert all(e["at"] for e in log) and first.outbox_id
    last = inc.steps[-1].pos
    assert tick(inc.id, last, "UGA0001").incident.status == "closed"
    assert tick(inc.id, last, "UGA0001").incident.status == "closed"
    assert tick(inc.id, last, "UGA0001", undo=True).incident.status == "open"


def test_tick_unknown_incident_or_step(directory_file):
    assert not tick(999, 0, "UGAHEAD").allowed
    inc = submit(_report(), reporter="USAN001", message_key="Ev1").incident
    assert not tick(inc.id, 42, "USAN001").allowed


def test_steps_of_open_incidents_do_not_change_when_knowledge_is_edited(directory_file, tmp_path, monkeypatch):
    from bot.config import REPO_KNOWLEDGE

    inc = submit(_report(), reporter="USAN001", message_key="Ev1").incident
    kdir = tmp_path / "k"
    kdir.mkdir()
    for f in REPO_KNOWLEDGE.iterdir():
        if f.is_file():
            (kdir / f.name).write_bytes(f.read_bytes())
    path = kdir / "report_types.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"事実確認",', '"事実関係の確認",'), encoding="utf-8")
    monkeypatch.setenv("BOT_KNOWLEDGE", str(kdir))
    assert reply_for(inc.id).steps[0].name == "事実確認"
    newer = submit(_report("町の投稿が炎上しています"), reporter="USAN001", message_key="Ev2").incident
    assert newer.steps[0].name == "事実関係の確認"


def test_home_lists_own_and_tagged_open_incidents_and_all_for_general_affairs(directory_file):
    a = submit(_report(), reporter="USAN001", message_key="Ev1").incident
    b = submit(_report("町の投稿が炎上しています"), reporter="UJUM001", message_key="Ev2").incident
    c = submit(_report("町の悪口が書かれています"), reporter="UJUM001", message_key="Ev3").incident
    tick(c.id, c.steps[-1].pos, "UGAHEAD")  # closed
    assert [i.id for i in open_incidents_for("USAN001")] == [a.id]
    assert [i.id for i in open_incidents_for("USANHEAD")] == [a.id]
    assert [i.id for i in open_incidents_for("UJUMHEAD")] == [b.id]
    assert [i.id for i in open_incidents_for("UGA0002")] == [a.id, b.id]
    assert open_incidents_for("UOUTSIDER") == []


def test_a_database_from_before_the_message_key_rename_keeps_its_reports(directory_file, bot_db):
    """incidents.event_id / incident_events.event_id (the reported message's channel:ts) become
    message_key in place: the reports stay, and a retry of an old report still opens nothing."""
    first = submit(_report(), reporter="USAN001", channel="C1", thread_ts="1.0", message_key="C1:1.0")
    db = store.db()
    db.execute("drop index idx_incidents_message_key")
    db.execute("alter table incidents rename column message_key to event_id")
    db.execute("alter table incident_events rename column message_key to event_id")
    db.execute("create unique index idx_incidents_event_id on incidents (event_id)")
    store.close_all()
    again = submit(_report(), reporter="USAN001", channel="C1", thread_ts="1.0", message_key="C1:1.0")
    assert again.retry and again.incident.id == first.incident.id
    db = store.db()
    assert "event_id" not in db["incidents"].columns_dict and "message_key" in db["incident_events"].columns_dict
    assert [r["message_key"] for r in db.query("select message_key from incidents")] == ["C1:1.0"]
    assert "idx_incidents_event_id" not in {i.name for i in db["incidents"].indexes}
