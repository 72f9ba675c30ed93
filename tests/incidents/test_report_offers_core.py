"""The Offer core (bot.incidents.offers), without Slack: made once per message, filed or declined once, only
by the reporter; the classified type and URL are kept, the message text is not; old databases upgrade."""

from __future__ import annotations

import sqlite3

import pytest

from bot import store
from bot.incidents import classify, incidents, offers, records

TEXT = "Xで町の偽アカウントを見つけました https://twitter.com/Urausu_Fake?s=20"


def _make(key="C1:1.0", text=TEXT, reporter="USAN001", source="mention", thread="1.0"):
    return offers.make(classify(text), reporter=reporter, channel="C1", thread_ts=thread, message_key=key, source=source)


def test_an_offer_keeps_the_reading_not_the_text(directory_file):
    made = _make()
    assert made.created and made.outbox_id is not None
    offer = made.offer
    assert (offer.type, offer.urls, offer.status, offer.incident) == ("impersonation", ("https://x.com/urausu_fake",), "pending", None)
    row = store.db().execute("select * from report_offers").fetchone()
    assert not any("偽アカウント" in str(v) for v in row)  # the message text is never stored
    [pending] = records.pending()
    assert (pending.kind, pending.incident, pending.extra) == ("offer", None, {"offer": offer.id})
    assert incidents() == []


def test_the_same_message_makes_one_offer(directory_file):
    first = _make()
    again = _make()
    assert not again.created and again.outbox_id is None and again.offer.id == first.offer.id
    assert len(offers.all_offers()) == 1 and len(records.pending()) == 1


def test_filing_opens_the_incident_once_and_only_for_the_reporter(directory_file):
    offer = _make().offer
    refused = offers.file(offer.id, "UJUM001")
    assert not refused.allowed and incidents() == []
    filed = offers.file(offer.id, "USAN001")
    assert filed.allowed and filed.changed and filed.opened.created
    [inc] = incidents()
    assert (inc.type, inc.url, inc.reporter, inc.department, inc.thread_ts) == ("impersonation", "https://x.com/urausu_fake",
                                                                               "USAN001", "産業課", "1.0")
    assert filed.offer.status == "filed" and filed.offer.incident == inc.id
    kinds = sorted(m.kind for m in records.pending())
    assert kinds == ["offer", "offer_update", "reply"]
    replay = offers.file(offer.id, "USAN001")  # a double click or Slack's replay
    assert replay.allowed and not replay.changed and replay.offer.incident == inc.id and replay.outbox_id is None
    assert len(incidents()) == 1 and len(records.pending()) == 3
    assert not offers.decline(offer.id, "USAN001").changed  # decided once


def test_declining_files_nothing(directory_file):
    offer = _make().offer
    declined = offers.decline(offer.id, "USAN001")
    assert declined.changed and declined.offer.status == "declined" and declined.outbox_id is not None
    assert not offers.file(offer.id, "USAN001").changed
    assert incidents() == []


def test_a_dm_offer_files_a_reply_that_goes_by_direct_message(directory_file):
    offer = _make(key="DSAN001:5.0", source="dm", thread="").offer
    filed = offers.file(offer.id, "USAN001")
    reply = records.outbox_message(filed.opened.outbox_id)
    assert reply.kind == "reply" and reply.extra.get("direct") and reply.extra.get("dm_report")
    assert incidents()[0].thread_ts == "5.0"  # the DM message itself


def test_filing_in_the_ack_transaction_is_undone_with_it(directory_file):
    offer = _make().offer
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            offers.file(offer.id, "USAN001", db=db)
            raise RuntimeError("killed before the commit")
    assert incidents() == [] and offers.get(offer.id).status == "pending"
    assert offers.file(offer.id, "USAN001").changed


def test_an_offer_for_a_url_already_open_links_to_that_incident(directory_file):
    first = offers.file(_make().offer.id, "USAN001")
    second = offers.file(_make(key="C1:2.0", thread="2.0", reporter="UJUM001").offer.id, "UJUM001")
    assert second.opened.duplicate and second.opened.incident.id == first.opened.incident.id
    assert len(incidents()) == 1


def test_an_old_database_upgrades_so_offers_can_wait_in_the_outbox(directory_file, bot_db):
    """A database from before offers (outbox.incident NOT NULL): the outbox is rebuilt in place, rows kept."""
    store.close_all()
    con = sqlite3.connect(bot_db)
    con.executescript("""
        create table incidents (id integer primary key, type text not null, status text not null, url text default '',
          reporter text not null, department text default '', channel text default '', thread_ts text default '',
          created text not null, message_key text, tagged text default '[]', reply_ts text default '',
          reply_channel text default '', closed text);
        insert into incidents (type, status, reporter, created, message_key) values ('negative', 'open', 'U1', 'now', 'C1:0.1');
        create table outbox (id integer primary key, incident integer not null references incidents(id), kind text not null,
          channel text default '', thread_ts text default '', created text not null, attempts integer default 0,
          last_error text default '', claimed_at text, claimed_by text, sent_at text, message_ts text default '',
          extra text default '{}');
        insert into outbox (incident, kind, created) values (1, 'reply', 'now');
    """)
    con.close()
    made = _make()
    assert records.outbox_message(1).kind == "reply" and records.outbox_message(made.outbox_id).incident is None
    assert records.get(1).note == ""
