"""Delivery state beside the outbox: when to try again, whether the last attempt's outcome is unknown
(a timeout, a 5xx, a crash: the message may be in Slack already), whether 総務課 was alerted, and the
messages actually posted (channel and ts Slack returned), which later updates go to."""

from __future__ import annotations

import time
import uuid

from bot import store

EVENT_TYPE = "urausu_delivery"  # message metadata event_type carried by every posted Delivery


@store.migration
def _tables(db) -> None:
    db["delivery_state"].create(
        {"outbox": int, "next_at": float, "failures": int, "uncertain": int, "alerted": int, "last_code": str},
        pk="outbox",
        defaults={"next_at": 0.0, "failures": 0, "uncertain": 0, "alerted": 0, "last_code": ""},
        if_not_exists=True,
    )
    db["delivery_posts"].create(
        {"outbox": int, "recipient": str, "incident": int, "kind": str, "channel": str, "ts": str, "posted": float},
        pk=("outbox", "recipient"),
        if_not_exists=True,
    )
    db["delivery_posts"].create_index(["incident", "kind"], if_not_exists=True)


def namespace() -> str:
    """This database's id in delivery keys (two databases never share a key)."""
    ns = store.get_meta("delivery_namespace")
    if not ns:
        ns = uuid.uuid4().hex[:12]
        store.db().execute("insert or ignore into meta (key, value) values ('delivery_namespace', ?)", [ns])
        ns = store.get_meta("delivery_namespace") or ns
    return ns


def key(outbox_id: int) -> str:
    return f"{namespace()}:{outbox_id}"


def _row(outbox_id: int) -> dict:
    rows = list(store.db().query("select * from delivery_state where outbox = ?", [outbox_id]))
    return rows[0] if rows else {"outbox": outbox_id, "next_at": 0.0, "failures": 0, "uncertain": 0, "alerted": 0, "last_code": ""}


def _ensure(outbox_id: int) -> None:
    store.db().execute("insert or ignore into delivery_state (outbox) values (?)", [outbox_id])


def outcome_unknown(outbox_id: int) -> bool:
    """True when an earlier attempt may have reached Slack (look it up before posting again)."""
    return bool(_row(outbox_id)["uncertain"])


def begin_attempt(outbox_id: int) -> None:
    """Before a post: from now until a clear answer, the outcome is unknown (survives a crash)."""
    _ensure(outbox_id)
    store.db().execute("update delivery_state set uncertain = 1 where outbox = ?", [outbox_id])


def failed(outbox_id: int, code: str, definite: bool, wait_s: float) -> int:
    """Record a failed attempt; the next one is due in ``wait_s``. Returns the number of failures."""
    _ensure(outbox_id)
    store.db().execute(
        "update delivery_state set failures = failures + 1, next_at = ?, last_code = ?,"
        " uncertain = case when ? then 0 else 1 end where outbox = ?",
        [time.time() + wait_s, code[:100], 1 if definite else 0, outbox_id])
    return int(_row(outbox_id)["failures"])


def defer(outbox_id: int, wait_s: float) -> None:
    """Try again in ``wait_s`` without counting a failure (waiting for another Delivery)."""
    _ensure(outbox_id)
    store.db().execute("update delivery_state set next_at = ? where outbox = ?", [time.time() + wait_s, outbox_id])


def failures(outbox_id: int) -> int:
    return int(_row(outbox_id)["failures"])


def last_code(outbox_id: int) -> str:
    return str(_row(outbox_id)["last_code"] or "")


def mark_alerted(outbox_id: int) -> bool:
    """True the first time (one alert per Delivery)."""
    _ensure(outbox_id)
    cur = store.db().execute("update delivery_state set alerted = 1 where outbox = ? and alerted = 0", [outbox_id])
    return cur.rowcount == 1


def due(now: float | None = None, limit: int = 200) -> tuple[list[int], float | None]:
    """(pending outbox ids due now in order, seconds until the next one is due or None)."""
    now = time.time() if now is None else now
    rows = list(store.db().query(
        "select o.id, coalesce(d.next_at, 0) as next_at from outbox o left join delivery_state d on d.outbox = o.id"
        " where o.sent_at is null order by o.id limit ?", [limit]))
    ready = [r["id"] for r in rows if r["next_at"] <= now]
    later = [r["next_at"] - now for r in rows if r["next_at"] > now]
    return ready, (min(later) if later else None)


def record_post(outbox_id: int, recipient: str, incident: int, kind: str, channel: str, ts: str) -> None:
    store.db().execute(
        "insert or replace into delivery_posts (outbox, recipient, incident, kind, channel, ts, posted) values (?, ?, ?, ?, ?, ?, ?)",
        [outbox_id, recipient, incident, kind, channel, ts, time.time()])


def posted(outbox_id: int, recipient: str) -> tuple[str, str] | None:
    rows = list(store.db().query("select channel, ts from delivery_posts where outbox = ? and recipient = ?", [outbox_id, recipient]))
    return (rows[0]["channel"], rows[0]["ts"]) if rows else None


def posts_of(outbox_id: int) -> list[tuple[str, str]]:
    """(channel, ts) of every message posted for one Delivery (ts "" = skipped)."""
    rows = store.db().query("select channel, ts from delivery_posts where outbox = ? and ts != '' order by posted", [outbox_id])
    return [(r["channel"], r["ts"]) for r in rows]


def posts_for(incident: int, kind: str = "reply") -> list[tuple[str, str]]:
    """(channel, ts) of every message posted for an incident's Deliveries of ``kind`` (ts "" = skipped)."""
    rows = store.db().query("select channel, ts from delivery_posts where incident = ? and kind = ? and ts != '' order by posted",
                            [incident, kind])
    return [(r["channel"], r["ts"]) for r in rows]
