"""An incident's 経過: who did what and when, one list for the record (the 決裁) and the export.

``log_action`` appends an entry to ``incident_log`` (in the caller's transaction when ``db`` is given);
``history`` returns the entries with the step ticks/undos of ``step_log`` folded in, oldest first.
Times are ISO 8601 UTC; the export and Slack render them in JST with display names.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from bot import store
from bot.incidents.model import LogEntry

# Action names (one name per concept; the export and the templates label them).
OPENED = "opened"  # detail: type, url, department
NOTIFIED = "notified"  # the bot tagged the head(s) and 総務課 in the reply; detail: tagged (user ids)
TYPE_CHANGED = "type_changed"  # detail: from, to, replaced (unticked step names removed), added
WITHDRAWN = "withdrawn"  # detail: reason
CLAIMED = "claimed"  # detail: previous (owner before, "" = nobody)
RELEASED = "released"
STEP_DONE = "step_done"  # detail: step, pos (from step_log)
STEP_UNDONE = "step_undone"  # detail: step, pos (from step_log)
CLOSED = "closed"  # detail: open_steps (names left unticked when closed after confirmation)
REOPENED = "reopened"
REMINDED = "reminded"  # detail: source, to (user ids), period
NOTE = "note"  # detail: text (a mention in the incident's thread that matched no step)
# soumu (takedown tracking, notices) adds: takedown_requested, rechecked, notice_drafted
ACTIONS = (OPENED, NOTIFIED, TYPE_CHANGED, WITHDRAWN, CLAIMED, RELEASED, STEP_DONE, STEP_UNDONE, CLOSED, REOPENED,
           REMINDED, NOTE)

_STEP_ACTIONS = {"tick": STEP_DONE, "undo": STEP_UNDONE}


@store.migration
def _tables(db) -> None:
    db["incident_log"].create(
        {"id": int, "incident": int, "at": str, "actor": str, "action": str, "detail": str},
        pk="id",
        not_null={"incident", "at", "action"},
        defaults={"actor": "", "detail": "{}"},
        if_not_exists=True,
    )
    db["incident_log"].create_index(["incident", "at"], if_not_exists=True)
    db["incident_log"].create_index(["action", "at"], if_not_exists=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def log_action(incident_id: int, action: str, actor: str, detail: dict | None = None, db=None, *,
               at: str | None = None) -> int:
    """Append one 経過 entry; returns its id. ``db``: an open transaction to write in (the ack path).
    ``at``: ISO UTC time (default now; the reminder ticker passes its injected clock)."""
    if not action:
        raise ValueError("action is required")
    cur = (db or store.db()).execute(
        "insert into incident_log (incident, at, actor, action, detail) values (?, ?, ?, ?, ?)",
        [incident_id, at or _now(), actor or "", action, json.dumps(detail or {}, ensure_ascii=False)],
    )
    return cur.lastrowid


def history(incident_id: int, db=None) -> list[LogEntry]:
    """Every 経過 entry of the incident, oldest first. Step ticks/undos are written to incident_log with the
    step_log row (step_done / step_undone, detail {"step": name, "pos": pos}); step_log rows from before
    incident_log existed are folded in by time (ties: before the newer entries)."""
    db = db or store.db()
    rows: list[tuple[str, int, int, LogEntry]] = []
    legacy = db.query(  # step_log rows written before incident_log (records.step_history, unlogged)
        "select l.pos, l.action, l.user, l.at, coalesce(l.name, s.name, '') as name from step_log l "
        "left join steps s on s.incident = l.incident and s.pos = l.pos where l.incident = ? and l.logged is null "
        "order by l.id", [incident_id])
    for n, r in enumerate(legacy):
        action = _STEP_ACTIONS.get(r["action"], r["action"])
        rows.append((r["at"], 0, n, LogEntry(r["at"], r["user"] or "", action, {"step": r["name"], "pos": r["pos"]})))
    for r in db.query("select id, at, actor, action, detail from incident_log where incident = ? order by id",
                      [incident_id]):
        rows.append((r["at"], 1, r["id"], LogEntry(r["at"], r["actor"] or "", r["action"],
                                                   json.loads(r["detail"] or "{}"))))
    if not any(t[1] == 0 for t in rows):
        return [t[3] for t in rows]  # one source: exactly the order of writing
    rows.sort(key=lambda t: (t[0], t[1], t[2]))
    return [t[3] for t in rows]


def last_of(incident_id: int, action: str, db=None) -> LogEntry | None:
    """The latest entry with ``action`` (e.g. when it was last reminded)."""
    found = [e for e in history(incident_id, db) if e.action == action]
    return found[-1] if found else None
