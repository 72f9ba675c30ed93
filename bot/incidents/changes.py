"""Changes to an open incident besides ticking: correct its type, withdraw it (取り下げ, with a reason),
claim it (「担当する」) or release it. Each change is written with its 経過 entry, an update of the thread
reply and a short note in the thread, in one transaction (``db``: the ack path's). A change already made
(a double click, a replayed request) changes nothing and queues nothing."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from bot.incidents import history, records
from bot.incidents import types as report_types
from bot.incidents.model import OPEN, STATUS_LABELS, WITHDRAWN, Incident
from bot.incidents.service import CONFIGURED, NOT_FOUND, DirectoryArg, _directory, may_tick
from bot.wording import line

MAX_REASON = 500  # characters of a withdrawal reason kept


@dataclass(frozen=True)
class Change:
    """``allowed`` False: ``message`` says why (polite Japanese). ``changed`` False: nothing to do (already so).
    ``outbox_id``: the update of the thread reply; ``note_id``: the note posted in the thread."""

    allowed: bool
    changed: bool = False
    incident: Incident | None = None
    message: str = ""
    outbox_id: int | None = None
    note_id: int | None = None


def may_change(incident: Incident, user: str, directory) -> bool:
    """Who may correct, withdraw or claim: as for ticking (the reporter, the tagged heads, 総務課)."""
    return may_tick(incident, user, directory)


def _check(incident_id: int, user: str, directory: DirectoryArg, db) -> tuple[Incident | None, Change | None]:
    incident = records.get(incident_id, db)
    if incident is None:
        return None, Change(False, message=NOT_FOUND)
    if not may_change(incident, user, _directory(directory)):
        return incident, Change(False, incident=incident, message=line("report", "change_refused"))
    return incident, None


def _not_open(incident: Incident) -> Change:
    return Change(False, incident=incident,
                  message=line("report", "change_not_open", status=STATUS_LABELS.get(incident.status, incident.status)))


def _queue(incident: Incident, note: str, values: dict, db) -> tuple[int, int]:
    """The update of the reply (one pending at a time) and a note in the thread."""
    out = records.pending_update(incident.id, db)
    if out is None:
        out = records.enqueue(incident.id, "update", incident.channel, incident.thread_ts, db)
    note_id = records.enqueue(incident.id, "note", incident.channel, incident.thread_ts, db,
                              {"note": note, "values": values})
    return out, note_id


def _within(db) -> AbstractContextManager:
    """The caller's transaction (the ack path's ``db``), or a new one."""
    return records.transaction() if db is None else nullcontext(db)


def _made(incident_id: int, action: str, user: str, detail: dict, note: str, values: dict, db) -> Change:
    """A change written: its 経過 entry, then the reply's update and the thread note for the incident as it is now."""
    history.log_action(incident_id, action, user, detail, db)
    after = records.get(incident_id, db)
    assert after is not None
    out, note_id = _queue(after, note, values, db)
    return Change(True, True, after, outbox_id=out, note_id=note_id)


def change_type(incident_id: int, new_type: str, user: str, directory: DirectoryArg = CONFIGURED, *,
                db=None) -> Change:
    """Correct the type: the unticked steps are replaced by the new type's (ticked ones stay in the record,
    and a new step with the name of a ticked one is not added again)."""
    knowledge = report_types.load()
    with _within(db) as db:
        incident, refused = _check(incident_id, user, directory, db)
        if refused:
            return refused
        assert incident is not None
        if not incident.is_open:
            return _not_open(incident)
        if new_type == incident.type:
            return Change(True, incident=incident)
        try:
            itype = knowledge.get(new_type)
        except KeyError:
            return Change(False, incident=incident, message=line("report", "unknown_type"))
        done = [s for s in incident.steps if s.done]
        removed = [s.name for s in incident.steps if not s.done]
        added = [n for n in itype.steps if n not in {s.name for s in done}]
        db.execute("delete from steps where incident = ? and done_by is null", [incident_id])
        start = max((s.pos for s in incident.steps), default=-1) + 1  # a position is never reused
        for n, name in enumerate(added):
            db.execute("insert into steps (incident, pos, name) values (?, ?, ?)", [incident_id, start + n, name])
        db.execute("update incidents set type = ? where id = ?", [itype.id, incident_id])
        detail = {"from": incident.type, "to": itype.id, "removed": removed, "added": added,
                  "kept": [s.name for s in done]}
        try:
            old_label = knowledge.get(incident.type).label
        except KeyError:
            old_label = incident.type
        return _made(incident_id, history.TYPE_CHANGED, user, detail, "type_changed",
                     {"user": user, "from": old_label, "to": itype.label}, db)


def withdraw(incident_id: int, reason: str, user: str, directory: DirectoryArg = CONFIGURED, *, db=None) -> Change:
    """取り下げ with a reason (required): the incident leaves the open lists; its record is kept."""
    reason = " ".join((reason or "").split())[:MAX_REASON]
    with _within(db) as db:
        incident, refused = _check(incident_id, user, directory, db)
        if refused:
            return refused
        assert incident is not None
        if incident.status == WITHDRAWN:
            return Change(True, incident=incident)
        if not incident.is_open:
            return _not_open(incident)
        if not reason:
            return Change(False, incident=incident, message=line("report", "withdraw_reason_required"))
        db.execute("update incidents set status = ?, closed = ? where id = ? and status = ?",
                   [WITHDRAWN, records.now(), incident_id, OPEN])
        return _made(incident_id, history.WITHDRAWN, user, {"reason": reason},
                     "withdrawn", {"user": user, "reason": reason}, db)


def claim(incident_id: int, user: str, directory: DirectoryArg = CONFIGURED, *, db=None) -> Change:
    """「担当する」: ``user`` owns the incident (taking over from a previous owner, who is recorded)."""
    with _within(db) as db:
        incident, refused = _check(incident_id, user, directory, db)
        if refused:
            return refused
        assert incident is not None
        if not incident.is_open:
            return _not_open(incident)
        if incident.owner == user:
            return Change(True, incident=incident)
        db.execute("update incidents set owner = ? where id = ?", [user, incident_id])
        return _made(incident_id, history.CLAIMED, user, {"previous": incident.owner},
                     "claimed", {"user": user, "previous": incident.owner}, db)


def release(incident_id: int, user: str, directory: DirectoryArg = CONFIGURED, *, db=None) -> Change:
    """「担当を外れる」: by the owner (or 総務課); the incident has no owner again."""
    with _within(db) as db:
        incident, refused = _check(incident_id, user, directory, db)
        if refused:
            return refused
        assert incident is not None
        if not incident.owner:
            return Change(True, incident=incident)
        d = _directory(directory)
        if incident.owner != user and not (d is not None and d.is_general_affairs(user)):
            return Change(False, incident=incident, message=line("report", "release_not_owner"))
        db.execute("update incidents set owner = '' where id = ?", [incident_id])
        return _made(incident_id, history.RELEASED, user, {"previous": incident.owner},
                     "released", {"user": user, "previous": incident.owner}, db)


def note(incident_id: int, text: str, user: str, *, db=None) -> int:
    """A mention in the incident's thread that is no step: kept in 経過 as a note."""
    return history.log_action(incident_id, history.NOTE, user, {"text": (text or "").strip()[:MAX_REASON]}, db)


def open_steps_before(incident: Incident, pos: int) -> list[str]:
    """Names of the unticked steps other than ``pos`` (ticking 完了 with these asks for confirmation)."""
    return [s.name for s in incident.steps if not s.done and s.pos != pos]


def is_last(incident: Incident, pos: int) -> bool:
    return bool(incident.steps) and incident.steps[-1].pos == pos
