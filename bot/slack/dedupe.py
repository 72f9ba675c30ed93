"""Accepted means stored. Before a request is acknowledged, one database transaction records Slack's
event_id (a retry or a duplicate never produces a second reply — also across a restart) together with
the work the request implies (``Acceptor``s, wired in bot/slack/app.py: e.g. a report → its incident and its outbox Delivery). Only
after the commit is the request acknowledged; the listeners then deliver. If the database cannot be
written within ``BOT_ACK_BUSY_S`` (another writer holds it), the answer is 503 (HTTP) or no ack (Socket
Mode), so Slack delivers the request again."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from slack_bolt import BoltResponse

from bot import config, store
from bot.delivery.faults import crash_point

KEEP_DAYS = 7
log = logging.getLogger(__name__)



class Acceptor(NamedTuple):
    """Work stored on the ack path: ``accept(body, db)`` (when ``wants(body)``) runs inside the transaction
    that records the event id and returns values for the listener's context. Quick; never calls Slack."""

    wants: Callable[[dict], bool]
    accept: Callable[[dict, object], dict]


@store.migration
def _tables(db) -> None:
    db["slack_events"].create({"event_id": str, "received": str}, pk="event_id", if_not_exists=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def first_delivery(event_id: str, db=None) -> bool:
    """True the first time an event_id is seen (atomic: concurrent retries cannot both win)."""
    cur = (db or store.db()).conn.execute(
        "insert or ignore into slack_events (event_id, received) values (?, ?)", (event_id, _now()))
    return cur.rowcount == 1


def forget_old(days: int = KEEP_DAYS) -> None:
    cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
    try:
        store.db().conn.execute("delete from slack_events where received < ?", (cutoff,))
    except sqlite3.OperationalError as err:  # busy at start: try again next start
        log.warning("old event ids not pruned: %s", err)


def accept_then_ack(acceptors: Sequence[Acceptor]):
    """The global middleware for ``acceptors``: store, then acknowledge; skip events already handled."""

    def dedupe_events(body: dict, request, context, next):
        return _accept(acceptors, body, request, context, next)

    return dedupe_events


def _accept(acceptors, body: dict, request, context, next):
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    wanted = [a.accept for a in acceptors if _wants(a.wants, body)]
    if not event_id and not wanted:
        return next()
    duplicate = False
    try:
        with store.transaction(busy_s=config.delivery().ack_busy_s) as db:
            if event_id and not first_delivery(event_id, db):
                duplicate = True
            else:
                for accept in wanted:
                    for key, value in _run(accept, body, db).items():
                        context[key] = value
                crash_point("accept.before_commit")
    except sqlite3.Error as err:
        log.error("request not stored (%s): Slack will retry", type(err).__name__)
        return BoltResponse(status=503, body="")
    crash_point("accept.after_commit")
    if duplicate:
        retry = request.headers.get("x-slack-retry-num", ["-"])[0] if request.headers else "-"
        log.info("duplicate event %s skipped (retry %s)", event_id, retry)
        return BoltResponse(status=200, body="")
    return next()


def _wants(wants, body: dict) -> bool:
    try:
        return bool(wants(body))
    except Exception:  # noqa: BLE001 - a malformed body is simply not this acceptor's
        return False


def _run(accept, body: dict, db) -> dict:
    """One acceptor in a savepoint: a bug in it undoes its own writes only (its listener then does the
    work the old way, after the ack); a database error is raised (the request is refused with 503)."""
    db.execute("SAVEPOINT acceptor")
    try:
        values = accept(body, db) or {}
    except sqlite3.Error:
        raise
    except Exception as err:  # noqa: BLE001
        log.error("acceptor %s failed: %s", getattr(accept, "__name__", accept), type(err).__name__)
        db.execute("ROLLBACK TO acceptor")
        values = {}
    db.execute("RELEASE acceptor")
    return values
