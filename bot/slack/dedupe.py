"""Slack delivers an event again when it thinks the first delivery failed (X-Slack-Retry-Num /
retry_attempt). Every event_id is recorded in the database before any work, so a retry or a duplicate
never produces a second reply — also across a restart."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from slack_bolt import BoltResponse

from bot import store

KEEP_DAYS = 7
log = logging.getLogger(__name__)


@store.migration
def _tables(db) -> None:
    db["slack_events"].create({"event_id": str, "received": str}, pk="event_id", if_not_exists=True)


def first_delivery(event_id: str) -> bool:
    """True the first time an event_id is seen (atomic: concurrent retries cannot both win)."""
    cur = store.db().conn.execute(
        "insert or ignore into slack_events (event_id, received) values (?, ?)",
        (event_id, datetime.now(timezone.utc).isoformat(timespec="seconds")),
    )
    return cur.rowcount == 1


def forget_old(days: int = KEEP_DAYS) -> None:
    cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
    store.db().conn.execute("delete from slack_events where received < ?", (cutoff,))


def dedupe_events(body: dict, request, next):
    """Global middleware: acknowledge and skip events already handled."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id and not first_delivery(event_id):
        retry = request.headers.get("x-slack-retry-num", ["-"])[0] if request.headers else "-"
        log.info("duplicate event %s skipped (retry %s)", event_id, retry)
        return BoltResponse(status=200, body="")
    next()
