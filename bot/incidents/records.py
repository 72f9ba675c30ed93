"""Incidents, their steps, the outbox of Slack messages and the reported messages' keys, in the bot's database.

Rules kept here:
- A report is written (incident, steps, message key, outbox reply) in one transaction, before any
  Slack call. The Slack layer delivers the outbox afterwards; what fails stays pending for the next start.
- The same ``message_key`` (channel:ts of the reported message: a Slack retry, also after a restart, or a
  shortcut on the same message) never opens a second incident or queues a second reply.
- A report whose URL belongs to an open incident is linked to that incident instead of opening another.
- An outbox message is claimed before sending and marked sent once (the mark is conditional).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

from bot import store
from bot.incidents.model import CLOSED, OPEN, Incident, OutboxMessage, Step

CLAIM_LEASE = timedelta(seconds=60)  # a claim older than this (a crashed sender) may be taken over
RUN_ID = uuid.uuid4().hex  # this process; claims held by an earlier run are free at start


def _rename_column(db, table: str, old: str, new: str) -> None:
    """Upgrade an existing database in place (the rows are kept)."""
    if table in db.table_names() and old in db[table].columns_dict and new not in db[table].columns_dict:
        db.execute(f"alter table [{table}] rename column [{old}] to [{new}]")


@store.migration
def _tables(db) -> None:
    # the channel:ts key of a reported message used to be called event_id (Slack's event id is another thing)
    _rename_column(db, "incidents", "event_id", "message_key")
    _rename_column(db, "incident_events", "event_id", "message_key")
    db.execute("drop index if exists idx_incidents_event_id")
    db["incidents"].create(
        {
            "id": int,
            "type": str,
            "status": str,
            "url": str,
            "reporter": str,
            "department": str,
            "channel": str,
            "thread_ts": str,
            "created": str,
            "message_key": str,
            "tagged": str,  # JSON list of user ids tagged in the reply
            "reply_ts": str,  # ts of the bot's reply (for chat.update)
            "reply_channel": str,  # where the reply went when not the report's channel (direct message)
            "closed": str,
            "owner": str,  # user id of who claimed it (「担当する」), "" = nobody
        },
        pk="id",
        not_null={"type", "status", "reporter", "created"},
        defaults={"url": "", "department": "", "channel": "", "thread_ts": "", "tagged": "[]", "reply_ts": "",
                  "reply_channel": "", "owner": ""},
        if_not_exists=True,
    )
    if "owner" not in db["incidents"].columns_dict:  # databases made before ownership
        db.execute("alter table incidents add column owner text not null default ''")
    db["incidents"].create_index(["message_key"], unique=True, if_not_exists=True)
    db["incidents"].create_index(["url", "status"], if_not_exists=True)
    db["steps"].create(
        {"id": int, "incident": int, "pos": int, "name": str, "done_by": str, "done_at": str},
        pk="id",
        foreign_keys=[("incident", "incidents", "id")],
        not_null={"incident", "pos", "name"},
        if_not_exists=True,
    )
    db["steps"].create_index(["incident", "pos"], unique=True, if_not_exists=True)
    db["incident_events"].create(
        {"message_key": str, "incident": int, "created": str},
        pk="message_key",
        foreign_keys=[("incident", "incidents", "id")],
        if_not_exists=True,
    )
    db["outbox"].create(
        {
            "id": int,
            "incident": int,
            "kind": str,  # reply | duplicate | update
            "channel": str,
            "thread_ts": str,
            "created": str,
            "attempts": int,
            "last_error": str,
            "claimed_at": str,
            "claimed_by": str,
            "sent_at": str,
            "message_ts": str,
            "extra": str,  # JSON
        },
        pk="id",
        foreign_keys=[("incident", "incidents", "id")],
        not_null={"kind", "created"},
        defaults={"attempts": 0, "last_error": "", "message_ts": "", "extra": "{}", "channel": "", "thread_ts": ""},
        if_not_exists=True,
    )
    db["outbox"].create_index(["sent_at"], if_not_exists=True)
    # an Offer's messages are Deliveries before any incident exists: outbox.incident may be null
    if db["outbox"].columns_dict and any(c.name == "incident" and c.notnull for c in db["outbox"].columns):
        db["outbox"].transform(not_null={"incident": False})
        db["outbox"].create_index(["sent_at"], if_not_exists=True)
    if "note" not in db["incidents"].columns_dict:
        db["incidents"].add_column("note", str, not_null_default="")
    db["step_log"].create(
        {"id": int, "incident": int, "pos": int, "action": str, "user": str, "at": str, "name": str},
        pk="id",
        not_null={"incident", "pos", "action", "at"},
        if_not_exists=True,
    )
    if "name" not in db["step_log"].columns_dict:  # the step's name at the time (steps change with the type)
        db.execute("alter table step_log add column name text")
    if "logged" not in db["step_log"].columns_dict:  # 1: also in incident_log (history folds only older rows)
        db.execute("alter table step_log add column logged integer")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


transaction = store.transaction


# --- incidents -------------------------------------------------------------------------------------


def _incident(row: dict, steps: list[Step]) -> Incident:
    return Incident(
        id=row["id"],
        type=row["type"],
        status=row["status"],
        url=row["url"] or "",
        reporter=row["reporter"],
        department=row["department"] or "",
        channel=row["channel"] or "",
        thread_ts=row["thread_ts"] or "",
        created=row["created"],
        tagged=tuple(json.loads(row["tagged"] or "[]")),
        reply_ts=row["reply_ts"] or "",
        reply_channel=row["reply_channel"] or "",
        note=row.get("note") or "",
        steps=tuple(steps),
        owner=row.get("owner") or "",
    )


def _steps(db, incident_id: int) -> list[Step]:
    return [
        Step(r["pos"], r["name"], r["done_by"], r["done_at"])
        for r in db.query("select pos, name, done_by, done_at from steps where incident = ? order by pos", [incident_id])
    ]


def get(incident_id: int, db=None) -> Incident | None:
    db = db or store.db()
    rows = list(db.query("select * from incidents where id = ?", [incident_id]))
    return _incident(rows[0], _steps(db, incident_id)) if rows else None


def incident_for_message(message_key: str, db=None) -> Incident | None:
    db = db or store.db()
    rows = list(db.query("select incident from incident_events where message_key = ?", [message_key]))
    return get(rows[0]["incident"], db) if rows else None


def open_with_url(urls: tuple[str, ...] | list[str], db=None) -> Incident | None:
    urls = [u for u in urls if u]
    if not urls:
        return None
    db = db or store.db()
    marks = ",".join("?" * len(urls))
    rows = list(db.query(f"select id from incidents where status = ? and url in ({marks}) order by id limit 1", [OPEN, *urls]))
    return get(rows[0]["id"], db) if rows else None


def insert(
    *,
    type: str,
    url: str,
    reporter: str,
    department: str,
    channel: str,
    thread_ts: str,
    message_key: str | None,
    tagged: tuple[str, ...],
    steps: tuple[str, ...],
    db,
    note: str = "",
) -> int:
    """Insert an incident and its steps (call inside ``transaction``)."""
    cur = db.execute(
        "insert into incidents (type, status, url, reporter, department, channel, thread_ts, created, message_key, tagged, reply_ts, note) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)",
        [type, OPEN, url, reporter, department, channel, thread_ts, now(), message_key, json.dumps(list(tagged)), note or ""],
    )
    incident_id = cur.lastrowid
    for pos, name in enumerate(steps):
        db.execute("insert into steps (incident, pos, name) values (?, ?, ?)", [incident_id, pos, name])
    return incident_id


def remember_message(message_key: str | None, incident_id: int, db) -> None:
    if message_key:
        db.execute("insert into incident_events (message_key, incident, created) values (?, ?, ?)",
                   [message_key, incident_id, now()])


def set_step(incident_id: int, pos: int, user: str | None, db) -> None:
    """Mark a step done by ``user`` now, or not done (user None). The last step closes the incident."""
    at = now() if user else None
    db.execute("update steps set done_by = ?, done_at = ? where incident = ? and pos = ?", [user, at, incident_id, pos])
    last = list(db.query("select max(pos) as m from steps where incident = ?", [incident_id]))[0]["m"]
    if pos == last:
        status, closed = (CLOSED, at) if user else (OPEN, None)
        db.execute("update incidents set status = ?, closed = ? where id = ?", [status, closed, incident_id])


def set_reply_ts(incident_id: int, ts: str, db) -> None:
    db.execute("update incidents set reply_ts = ? where id = ? and reply_ts = ''", [ts, incident_id])


def mark_direct(message_id: int) -> None:
    """The reply of this outbox message goes by direct message (its thread cannot be used)."""
    db = store.db()
    rows = list(db.query("select extra from outbox where id = ?", [message_id]))
    if rows:
        extra = {**json.loads(rows[0]["extra"] or "{}"), "direct": True}
        db.execute("update outbox set extra = ? where id = ?", [json.dumps(extra, ensure_ascii=False), message_id])


def recent_by_reporter(reporter: str, since: str, db) -> list[int]:
    """Ids of incidents the reporter opened since ``since`` (ISO time), oldest first."""
    return [r["id"] for r in db.query("select id from incidents where reporter = ? and created >= ? order by id",
                                      [reporter, since])]


def log_step(incident_id: int, pos: int, action: str, user: str, db) -> None:
    """Who did what to a step and when (tick, undo), kept for the record (with the step's name then), in
    step_log and in the incident's 経過 (incident_log), so that 経過 keeps the exact order of events."""
    from bot.incidents import history

    rows = list(db.query("select name from steps where incident = ? and pos = ?", [incident_id, pos]))
    name = rows[0]["name"] if rows else None
    at = now()
    db.execute("insert into step_log (incident, pos, action, user, at, name, logged) values (?, ?, ?, ?, ?, ?, 1)",
               [incident_id, pos, action, user, at, name])
    history.log_action(incident_id, history.STEP_UNDONE if action == "undo" else history.STEP_DONE, user,
                       {"step": name or "", "pos": pos}, db, at=at)


def step_history(incident_id: int, db=None, *, unlogged: bool = False) -> list[dict]:
    """step_log rows (pos, action tick|undo, user, at, name); name falls back to the step's current name.
    ``unlogged``: only the rows written before incident_log existed."""
    cond = " and l.logged is null" if unlogged else ""
    return list((db or store.db()).query(
        "select l.pos, l.action, l.user, l.at, coalesce(l.name, s.name, '') as name from step_log l "
        "left join steps s on s.incident = l.incident and s.pos = l.pos where l.incident = ?" + cond + " order by l.id",
        [incident_id]))


def set_reply_channel(incident_id: int, channel: str) -> None:
    store.db().execute("update incidents set reply_channel = ? where id = ?", [channel, incident_id])


def all_incidents(open_only: bool = False) -> list[Incident]:
    db = store.db()
    where = "where status = ?" if open_only else ""
    rows = list(db.query(f"select * from incidents {where} order by id", [OPEN] if open_only else []))
    steps: dict[int, list[Step]] = {}
    for r in db.query("select incident, pos, name, done_by, done_at from steps order by incident, pos"):
        steps.setdefault(r["incident"], []).append(Step(r["pos"], r["name"], r["done_by"], r["done_at"]))
    return [_incident(r, steps.get(r["id"], [])) for r in rows]


# --- outbox ----------------------------------------------------------------------------------------


def enqueue(incident_id: int | None, kind: str, channel: str, thread_ts: str, db, extra: dict | None = None) -> int:
    cur = db.execute(
        "insert into outbox (incident, kind, channel, thread_ts, created, extra) values (?, ?, ?, ?, ?, ?)",
        [incident_id, kind, channel, thread_ts, now(), json.dumps(extra or {}, ensure_ascii=False)],
    )
    return cur.lastrowid


def pending_update(incident_id: int, db) -> int | None:
    rows = list(db.query("select id from outbox where incident = ? and kind = 'update' and sent_at is null and claimed_at is null", [incident_id]))
    return rows[0]["id"] if rows else None


def _message(row: dict) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        incident=row["incident"],
        kind=row["kind"],
        channel=row["channel"] or "",
        thread_ts=row["thread_ts"] or "",
        created=row["created"],
        attempts=row["attempts"] or 0,
        last_error=row["last_error"] or "",
        sent_at=row["sent_at"],
        message_ts=row["message_ts"] or "",
        extra=json.loads(row["extra"] or "{}"),
    )


def outbox_message(message_id: int) -> OutboxMessage | None:
    rows = list(store.db().query("select * from outbox where id = ?", [message_id]))
    return _message(rows[0]) if rows else None


def pending(limit: int = 500) -> list[OutboxMessage]:
    rows = store.db().query("select * from outbox where sent_at is null order by id limit ?", [limit])
    return [_message(r) for r in rows]


def claim(message_id: int, at_start: bool = False) -> bool:
    """Take the right to send ``message_id``. False when it was sent or another sender holds a fresh
    claim. At start, claims left by an earlier run (crash mid-send) are taken over."""
    db = store.db()
    stale = (datetime.now(timezone.utc) - CLAIM_LEASE).isoformat(timespec="seconds")
    cond = "claimed_at is null or claimed_at < ?"
    params: list = [now(), RUN_ID, message_id, stale]
    if at_start:
        cond += " or claimed_by != ?"
        params.append(RUN_ID)
    cur = db.execute(
        f"update outbox set claimed_at = ?, claimed_by = ?, attempts = attempts + 1 where id = ? and sent_at is null and ({cond})",
        params,
    )
    return cur.rowcount == 1


def mark_sent(message_id: int, message_ts: str = "") -> bool:
    """Record delivery. True only the first time (a second mark changes nothing)."""
    with transaction() as db:
        cur = db.execute(
            "update outbox set sent_at = ?, message_ts = ?, claimed_at = null where id = ? and sent_at is null",
            [now(), message_ts or "", message_id],
        )
        if cur.rowcount != 1:
            return False
        row = list(db.query("select incident, kind from outbox where id = ?", [message_id]))[0]
        if row["kind"] == "reply" and message_ts:
            set_reply_ts(row["incident"], message_ts, db)
        return True


def mark_failed(message_id: int, error: str) -> None:
    """Release the claim and keep the message pending (delivered on the next start)."""
    store.db().execute(
        "update outbox set claimed_at = null, claimed_by = null, last_error = ? where id = ? and sent_at is null",
        [error[:500], message_id],
    )
