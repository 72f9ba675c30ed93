"""Offer: a DM or mention that reads as a report is first offered back to its author (「報告として受け付け
ますか？」) and becomes an Incident only when they confirm; 「質問でした」 declines it (Ask answers instead).

An Offer keeps what classification found (type, URLs) and where the message was — never the message text.
It is keyed by the reported message (channel:ts, the same key the incident gets), so a Slack retry or a
replayed click never makes a second offer or files twice. Its messages (the offer, then its update after
a decision) are Deliveries in the outbox (kind ``offer`` / ``offer_update``, no incident yet).
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass

from bot import store
from bot.incidents import records
from bot.incidents.model import Report

PENDING, FILED, DECLINED = "pending", "filed", "declined"
SOURCES = ("mention", "dm")


@store.migration
def _tables(db) -> None:
    db["report_offers"].create(
        {
            "id": int,
            "message_key": str,  # channel:ts of the message that read as a report
            "reporter": str,
            "channel": str,
            "thread_ts": str,  # where the offer (and the incident's reply) goes: the message's thread
            "source": str,  # mention | dm
            "type": str,
            "urls": str,  # JSON list, normalized
            "status": str,  # pending | filed | declined
            "incident": int,
            "outbox": int,  # the Delivery of the offer message (its ts is that Delivery's message_ts)
            "created": str,
            "decided_at": str,
        },
        pk="id",
        not_null={"message_key", "reporter", "status", "created"},
        defaults={"channel": "", "thread_ts": "", "source": "mention", "urls": "[]", "status": PENDING},
        if_not_exists=True,
    )
    db["report_offers"].create_index(["message_key"], unique=True, if_not_exists=True)


@dataclass(frozen=True)
class Offer:
    id: int
    message_key: str
    reporter: str
    channel: str
    thread_ts: str
    source: str
    type: str
    urls: tuple[str, ...]
    status: str
    incident: int | None
    outbox: int | None
    created: str

    @property
    def report(self) -> Report:
        return Report(type=self.type, urls=self.urls)

    @property
    def url(self) -> str:
        return self.urls[0] if self.urls else ""

    @property
    def message_ts(self) -> str:
        return self.message_key.rpartition(":")[2]


@dataclass(frozen=True)
class Made:
    """Result of ``make``: the offer, whether this call created it, and its Delivery (None on a retry)."""

    offer: Offer
    created: bool
    outbox_id: int | None = None


@dataclass(frozen=True)
class Decision:
    """Result of ``file`` / ``decline``.

    allowed:  False when the user is not the reporter (nothing changed)
    changed:  this call made the decision (False: it was made before — a second click or a replay)
    offer:    the offer in its current state (None: no such offer)
    opened:   the submission's result when this call filed the incident
    outbox_id: the Delivery updating the offer message (None when nothing changed)
    """

    allowed: bool
    changed: bool
    offer: Offer | None
    opened: object | None = None
    outbox_id: int | None = None


def _offer(row: dict) -> Offer:
    return Offer(id=row["id"], message_key=row["message_key"], reporter=row["reporter"], channel=row["channel"] or "",
                 thread_ts=row["thread_ts"] or "", source=row["source"] or "mention", type=row["type"] or "",
                 urls=tuple(json.loads(row["urls"] or "[]")), status=row["status"], incident=row["incident"],
                 outbox=row["outbox"], created=row["created"])


def get(offer_id: int, db=None) -> Offer | None:
    rows = list((db or store.db()).query("select * from report_offers where id = ?", [offer_id]))
    return _offer(rows[0]) if rows else None


def for_message(message_key: str, db=None) -> Offer | None:
    rows = list((db or store.db()).query("select * from report_offers where message_key = ?", [message_key]))
    return _offer(rows[0]) if rows else None


def make(report: Report, *, reporter: str, channel: str, thread_ts: str, message_key: str, source: str = "mention",
         db=None) -> Made:
    """Store an offer for a message that reads as ``report`` and queue the offer message (before the ack).
    The same message again (Slack retry, also after the event log was purged): nothing new."""
    if source not in SOURCES:
        raise ValueError(source)
    with (records.transaction() if db is None else nullcontext(db)) as db:
        seen = for_message(message_key, db)
        if seen is not None:
            return Made(seen, created=False)
        cur = db.execute(
            "insert into report_offers (message_key, reporter, channel, thread_ts, source, type, urls, status, created)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [message_key, reporter, channel, thread_ts, source, report.type, json.dumps(list(report.urls)), PENDING,
             records.now()])
        offer_id = cur.lastrowid
        out = records.enqueue(None, "offer", channel, thread_ts, db, {"offer": offer_id})
        db.execute("update report_offers set outbox = ? where id = ?", [out, offer_id])
        offer = get(offer_id, db)
    assert offer is not None
    return Made(offer, created=True, outbox_id=out)


def _decide(offer_id: int, user: str, status: str, db) -> tuple[Offer | None, bool, bool]:
    """(offer, allowed, changed): move a pending offer to ``status`` when ``user`` is its reporter."""
    offer = get(offer_id, db)
    if offer is None:
        return None, False, False
    if user != offer.reporter:
        return offer, False, False
    if offer.status != PENDING:
        return offer, True, False
    cur = db.execute("update report_offers set status = ?, decided_at = ? where id = ? and status = ?",
                     [status, records.now(), offer_id, PENDING])
    return offer, True, cur.rowcount == 1


def file(offer_id: int, user: str, *, directory=None, db=None, note: str = "") -> Decision:
    """「報告する」: the reporter confirms; the incident (and its reply Delivery) is stored now, in ``db`` (the
    ack path's transaction). A second click or a replay files nothing and returns the filed offer."""
    from bot.incidents import service

    with (records.transaction() if db is None else nullcontext(db)) as db:
        offer, allowed, changed = _decide(offer_id, user, FILED, db)
        if not changed:
            return Decision(allowed, False, offer)
        kwargs = {} if directory is None else {"directory": directory}
        # the incident's thread is the reported message's (a DM offer has none of its own: the DM message)
        opened = service.submit(offer.report, reporter=offer.reporter, channel=offer.channel,
                                thread_ts=offer.thread_ts or offer.message_ts,
                                message_key=offer.message_key, direct=offer.source == "dm", note=note, db=db, **kwargs)
        db.execute("update report_offers set incident = ? where id = ?", [opened.incident.id, offer_id])
        out = records.enqueue(None, "offer_update", offer.channel, offer.thread_ts, db, {"offer": offer_id})
        return Decision(True, True, get(offer_id, db), opened, out)


def decline(offer_id: int, user: str, db=None) -> Decision:
    """「質問でした」: the reporter says it was a question; nothing is filed (Ask answers it)."""
    with (records.transaction() if db is None else nullcontext(db)) as db:
        offer, allowed, changed = _decide(offer_id, user, DECLINED, db)
        if not changed:
            return Decision(allowed, False, offer)
        out = records.enqueue(None, "offer_update", offer.channel, offer.thread_ts, db, {"offer": offer_id})
        return Decision(True, True, get(offer_id, db), None, out)


def all_offers() -> list[Offer]:
    return [_offer(r) for r in store.db().query("select * from report_offers order by id")]
