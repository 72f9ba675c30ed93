"""Takedown requests for an impersonation (7(3)①: 当該ソーシャルメディア管理者に削除依頼): which platform, the
date requested, the reference or receipt number, and a recheck date on which the owner (or 総務課) is asked
whether the account is gone. Several requests per incident are possible (one per platform, or again).

Each change is kept in the incident's 経過 (takedown_requested, rechecked) and queues an update of the
incident's reply; the recheck reminder is a Delivery (kind ``recheck``) to the people asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from bot import store
from bot.incidents import platforms, records
from bot.incidents.takedown_records import PENDING, REMOVED, RESULT_LABELS, Takedown, _row, for_incident, get
from bot.incidents.when import today_jst

__all__ = ["PENDING", "REMOVED", "RESULT_LABELS", "Takedown", "for_incident", "get"]  # the reads, re-exported

REQUESTED = "takedown_requested"  # 経過 actions
RECHECKED = "rechecked"
RECHECK_AFTER = timedelta(days=7)  # the form's default recheck date
TAKEDOWN_STEP_WORD = "削除依頼"  # the checklist step this ticks (「プラットフォームへ削除依頼」)
MAX_REFERENCE_CHARS = 100


@dataclass(frozen=True)
class TakedownResult:
    """``allowed`` False: ``message`` says why (polite Japanese), nothing was stored."""

    allowed: bool
    takedown: Takedown | None = None
    message: str = ""
    outbox_id: int | None = None
    field: str = ""  # the form field the message is about ("" = the whole form)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_dates(now: datetime | None = None) -> tuple[date, date]:
    """(requested, recheck) the form starts with: today (JST) and a week later."""
    today = today_jst(now)
    return today, today + RECHECK_AFTER


def _update(incident_id: int, channel: str, thread_ts: str, db) -> int:
    out = records.pending_update(incident_id, db)
    return out if out is not None else records.enqueue(incident_id, "update", channel, thread_ts, db)


def may_record(incident, user: str, directory) -> bool:
    """Who may record a request or answer a recheck: as for the checklist, and the owner."""
    from bot.incidents import service

    return service.may_tick(incident, user, directory) or (bool(user) and user == (getattr(incident, "owner", "") or ""))


def validate(platform: str, requested: date | None, recheck: date | None, reference: str) -> tuple[str, str]:
    """(field, polite message) of the first problem of the form's values, or ("", "")."""
    if platform not in platforms.ids():
        return "platform", "プラットフォームを選んでください。"
    if requested is None:
        return "requested", "削除を依頼した日を選んでください。"
    if recheck is None:
        return "recheck", "削除されたか確認する日を選んでください。"
    if recheck < requested:
        return "recheck", "確認する日は、依頼した日以降の日付にしてください。"
    if len(reference or "") > MAX_REFERENCE_CHARS:
        return "reference", f"受付番号は {MAX_REFERENCE_CHARS} 文字以内で入力してください。"
    return "", ""


def record_request(incident_id: int, *, platform: str, requested: date | None, reference: str, recheck: date | None,
                   user: str, submission: str = "", directory=None, db=None) -> TakedownResult:
    """Store a takedown request (the form's submit): the request, its 経過 line, the tick of
    「プラットフォームへ削除依頼」 when it is still open, and an update of the reply. ``submission`` seen before:
    nothing new. ``db``: an open transaction (the ack path)."""
    from contextlib import nullcontext

    from bot.incidents import service
    from bot.incidents.history import log_action
    from bot.wording import line

    directory = service._directory(service.CONFIGURED if directory is None else directory)
    incident = records.get(incident_id, db)
    if incident is None:
        return TakedownResult(False, message=line("report", "incident_not_found"))
    if not may_record(incident, user, directory):
        return TakedownResult(False, message=line("takedown", "refused"))
    reference = " ".join((reference or "").split())
    field, problem = validate(platform, requested, recheck, reference)
    if problem:
        return TakedownResult(False, message=problem, field=field)
    with (records.transaction() if db is None else nullcontext(db)) as db:
        if submission:
            seen = list(db.query("select id from takedowns where submission = ?", [submission]))
            if seen:
                return TakedownResult(True, takedown=get(seen[0]["id"], db))
        cur = db.execute(
            "insert into takedowns (incident, platform, requested, reference, recheck, status, created, created_by, "
            "submission) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [incident_id, platform, requested.isoformat(), reference, recheck.isoformat(), PENDING, _now(), user,
             submission or None],
        )
        takedown = get(cur.lastrowid, db)
        log_action(incident_id, REQUESTED, user, {"takedown": takedown.id, "platform": takedown.platform_label,
                                                 "requested": takedown.requested, "reference": reference,
                                                 "recheck": takedown.recheck}, db=db)
        step = next((s for s in incident.steps if TAKEDOWN_STEP_WORD in s.name and not s.done), None)
        out = None
        if step is not None and incident.is_open:
            out = service.tick(incident_id, step.pos, user, directory, db=db).outbox_id
        if out is None:
            out = _update(incident_id, incident.channel, incident.thread_ts, db)
    return TakedownResult(True, takedown=takedown, outbox_id=out)


# --- the recheck ---------------------------------------------------------------------------------------


RECHECK = "recheck"  # the reminder kind (bot.incidents.reminders) of a recheck


def due_rechecks(now: datetime | None = None, db=None) -> list[Takedown]:
    """Requests still waiting whose recheck date has come (JST) on open incidents. (Office hours and "once
    per recheck date" are the reminder ticker's: see ``recheck_reminders``.)"""
    db = db or store.db()
    today = today_jst(now).isoformat()
    rows = db.query(
        "select t.* from takedowns t join incidents i on i.id = t.incident where t.status = ? and t.recheck <= ? "
        "and i.status = 'open' order by t.recheck, t.id", [PENDING, today])
    return [_row(r) for r in rows]


def recheck_recipients(incident, directory) -> tuple[str, ...]:
    """Who is asked: the owner, else 総務課 (its head, or its members when no head is configured)."""
    owner = getattr(incident, "owner", "") or ""
    if owner:
        return (owner,)
    if directory is None:
        return tuple(u for u in incident.tagged)
    return tuple(directory.general_affairs.mentions)


def recheck_reminders(ctx) -> list:
    """A source of bot.incidents.reminders (REMINDER_SOURCES): during office hours, each request whose
    recheck date has come asks the owner (or 総務課) 「削除されたか確認してください」, once per recheck date (the
    key holds the date: a new date after 「まだ残っている」 asks again)."""
    from bot.incidents import directory as directory_mod
    from bot.incidents.reminders import Reminder

    if not ctx.calendar.is_open(ctx.now):
        return []
    try:
        d = directory_mod.current()
    except directory_mod.DirectoryError:
        d = None
    open_incidents = {i.id: i for i in ctx.open_incidents}
    out = []
    for t in due_rechecks(ctx.now, ctx.db):
        incident = open_incidents.get(t.incident)
        to = recheck_recipients(incident, d) if incident else ()
        if to:
            out.append(Reminder(key=f"{RECHECK}:{t.id}:{t.recheck}", kind=RECHECK, incident=t.incident, to=to,
                                values={"takedown": t.id, "recheck": t.recheck}, logged=(t.incident,)))
    return out


def answer_recheck(takedown_id: int, user: str, *, removed: bool, next_recheck: date | None = None,
                   directory=None, db=None) -> TakedownResult:
    """「削除を確認した」 (removed) or 「まだ残っている」 with a new recheck date. Kept in the 経過 (rechecked);
    the reply is updated. Who may answer: as for the checklist (reporter, tagged, 総務課) and the owner."""
    from contextlib import nullcontext

    from bot.incidents import service
    from bot.incidents.history import log_action
    from bot.wording import line

    directory = service._directory(service.CONFIGURED if directory is None else directory)
    takedown = get(takedown_id, db)
    incident = records.get(takedown.incident, db) if takedown else None
    if takedown is None or incident is None:
        return TakedownResult(False, message=line("report", "incident_not_found"))
    if not may_record(incident, user, directory):
        return TakedownResult(False, message=line("takedown", "refused"))
    if not takedown.pending:
        return TakedownResult(True, takedown=takedown)  # answered already (a double click or a replay)
    if not removed:
        today = today_jst()
        if next_recheck is not None and next_recheck.isoformat() == takedown.recheck and takedown.checked_at:
            return TakedownResult(True, takedown=takedown)  # the same answer again (a replayed submission)
        if next_recheck is None:
            return TakedownResult(False, message="次に確認する日を選んでください。", field="recheck")
        if next_recheck <= today:
            return TakedownResult(False, message="次に確認する日は、明日以降の日付にしてください。", field="recheck")
    with (records.transaction() if db is None else nullcontext(db)) as db:
        if removed:
            db.execute("update takedowns set status = ?, checked_at = ?, checked_by = ? where id = ?",
                       [REMOVED, _now(), user, takedown_id])
            detail = {"takedown": takedown_id, "platform": takedown.platform_label, "result": "removed"}
        else:
            db.execute("update takedowns set recheck = ?, checked_at = ?, checked_by = ? where id = ?",
                       [next_recheck.isoformat(), _now(), user, takedown_id])
            detail = {"takedown": takedown_id, "platform": takedown.platform_label, "result": "remaining",
                      "recheck": next_recheck.isoformat()}
        log_action(incident.id, RECHECKED, user, detail, db=db)
        out = _update(incident.id, incident.channel, incident.thread_ts, db)
        takedown = get(takedown_id, db)
    return TakedownResult(True, takedown=takedown, outbox_id=out)


