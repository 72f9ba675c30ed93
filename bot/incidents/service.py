"""Report → Incident: open (with dedupe), tick steps, build reply data, list, deliver the outbox.

The Slack layer calls these with plain values (user ids, channel, ts, message key) and renders the results.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from contextlib import nullcontext

from bot.incidents import directory as directory_mod
from bot.incidents import history, records
from bot.incidents import types as report_types
from bot.incidents.model import (
    CLOSED,
    OPEN,
    WITHDRAWN,
    CitedClause,
    Directory,
    Incident,
    IncidentReply,
    Opened,
    OutboxMessage,
    Report,
    Step,
    TickResult,
)
from bot.wording import line

log = logging.getLogger(__name__)

REFUSED = line("report", "tick_refused")
NOT_FOUND = line("report", "incident_not_found")


class _Default(enum.Enum):
    CONFIGURED = "the directory at BOT_DIRECTORY"


# Default of every ``directory`` parameter: the configured directory (None means "no directory", as in routing()).
CONFIGURED = _Default.CONFIGURED
DirectoryArg = Directory | None | _Default


def _directory(directory: DirectoryArg) -> Directory | None:
    return directory_mod.current() if directory is CONFIGURED else directory


def routing(reporter: str, directory: Directory | None) -> tuple[str, tuple[str, ...]]:
    """(department name or "", user ids to tag): the reporter's department head, then 総務課.
    The reporter is not tagged (they are in the thread already)."""
    if directory is None:
        return "", ()
    depts = directory.departments_of(reporter)  # 兼務: every department's head is tagged
    ga = directory.general_affairs
    tags: list[str] = [d.head for d in depts if d is not ga and d.head]
    tags.extend(ga.mentions)
    tags = [u for u in dict.fromkeys(tags) if u and u != reporter]
    if not tags and ga.members:  # the 総務課 head reported: tell the rest of 総務課
        tags = [u for u in ga.members if u != reporter]
    return "・".join(d.name for d in depts), tuple(tags)


def submit(
    report: Report,
    *,
    reporter: str,
    channel: str = "",
    thread_ts: str = "",
    message_key: str | None = None,
    directory: DirectoryArg = CONFIGURED,
    db=None,
    direct: bool = False,
    note: str = "",
) -> Opened:
    """Store a report before anything is sent to Slack and queue its reply in the outbox.

    - ``message_key`` (the reported message, channel:ts) seen before (Slack retry, also across restarts,
      or a shortcut on a message already reported): nothing new; ``retry`` is True.
    - URL of an open incident: that incident is returned with ``duplicate`` True, and a notice linking to
      it is queued for this report's thread.
    - the reporter opened more than ``burst_limit`` incidents within the burst window: grouped into the
      latest of them (``grouped`` True): a note without mentions in that incident's thread, no new ping.
    - otherwise a new incident with the steps of its type.

    ``db``: an open transaction to write in (the ack path stores the report with Slack's event id).
    ``direct``: the report came by DM: its reply goes by direct message to the reporter and everyone tagged
    (the path a reply takes when its thread cannot be used). ``note``: the reporter's note, kept and shown.
    """
    knowledge = report_types.load()
    itype = knowledge.get(report.type)
    dept_name, tags = routing(reporter, _directory(directory))
    with (records.transaction() if db is None else nullcontext(db)) as db:
        if message_key:
            seen = records.incident_for_message(message_key, db)
            if seen is not None:
                return Opened(seen, created=False, retry=True)
        existing = records.open_with_url(report.urls, db)
        if existing is not None:
            records.remember_message(message_key, existing.id, db)
            out = records.enqueue(existing.id, "duplicate", channel, thread_ts, db, {"reporter": reporter})
            return Opened(existing, created=False, duplicate=True, outbox_id=out)
        burst = _burst_target(reporter, db)
        if burst is not None:
            target, count = burst
            records.remember_message(message_key, target, db)
            out = records.enqueue(target, "grouped", channel, thread_ts, db,
                                  {"reporter": reporter, "url": report.url, "count": count})
            grouped = records.get(target, db)
            log.info("report by %s grouped into incident %s (%d within the burst window)", reporter, target, count)
            return Opened(grouped, created=False, grouped=True, outbox_id=out)
        incident_id = records.insert(
            type=itype.id,
            url=report.url,
            reporter=reporter,
            department=dept_name,
            channel=channel,
            thread_ts=thread_ts,
            message_key=message_key,
            tagged=tags,
            steps=itype.steps,
            db=db,
            note=note,
        )
        records.remember_message(message_key, incident_id, db)
        history.log_action(incident_id, history.OPENED, reporter,
                           {"type": itype.id, "url": report.url, "department": dept_name,
                            **({"note": note} if note else {})}, db)
        if tags:  # the bot tags them in the reply: that is the 報告 to the head(s) and 総務課
            history.log_action(incident_id, history.NOTIFIED, "", {"tagged": list(tags)}, db)
        out = records.enqueue(incident_id, "reply", channel, thread_ts, db,
                              {"direct": True, "dm_report": True} if direct else None)
        incident = records.get(incident_id, db)
    assert incident is not None
    log.info("incident %s opened (%s) by %s", incident.id, incident.type, reporter)
    return Opened(incident, created=True, outbox_id=out)


def _burst_target(reporter: str, db) -> tuple[int, int] | None:
    """(incident to group into, this report's number in the window) when the reporter is over the limit."""
    from datetime import datetime, timedelta, timezone

    from bot import config

    if not reporter:
        return None
    settings = config.delivery()
    since = (datetime.now(timezone.utc) - timedelta(seconds=settings.burst_window_s)).isoformat(timespec="seconds")
    recent = records.recent_by_reporter(reporter, since, db)
    if len(recent) < settings.burst_limit:
        return None
    grouped = list(db.query("select count(*) as n from outbox where kind = 'grouped' and incident in (%s) and created >= ?"
                            % ",".join("?" * len(recent)), [*recent, since]))[0]["n"]
    return recent[-1], len(recent) + grouped + 1


def may_tick(incident: Incident, user: str, directory: Directory | None) -> bool:
    """The reporter, the users tagged in the reply (department head, 総務課) and 総務課 members."""
    if user == incident.reporter or user in incident.tagged:
        return True
    return directory is not None and directory.is_general_affairs(user)


def tick(incident_id: int, pos: int, user: str, directory: DirectoryArg = CONFIGURED, *,
         undo: bool = False, db=None) -> TickResult:
    """A click on step ``pos``: done by ``user`` now. Idempotent: a second click (or a replayed one) on a
    done step changes nothing. ``undo``: the explicit 「取り消す」 action marks it not done again. Both are
    recorded with who and when (step_log). Ticking the last step (完了) closes the incident. An update of
    the thread reply is queued when something changed. ``db``: an open transaction (the ack path)."""
    incident = records.get(incident_id, db)
    if incident is None:
        return TickResult(False, message=NOT_FOUND)
    if not may_tick(incident, user, _directory(directory)):
        return TickResult(False, incident=incident, message=REFUSED)
    if incident.status == WITHDRAWN:
        return TickResult(False, incident=incident, message=line("report", "tick_withdrawn"))
    step = next((s for s in incident.steps if s.pos == pos), None)
    if step is None:
        return TickResult(False, incident=incident, message=line("report", "step_not_found"))
    if bool(step.done) != undo:  # already in the state asked for: a double click or a replay
        return TickResult(True, incident=incident, step=step, outbox_id=None)
    with (records.transaction() if db is None else nullcontext(db)) as db:
        records.set_step(incident_id, pos, None if undo else user, db)
        records.log_step(incident_id, pos, "undo" if undo else "tick", user, db)
        after = records.get(incident_id, db)
        if after is not None and after.status != incident.status:
            if after.status == CLOSED:
                left = [s.name for s in after.steps if not s.done]
                history.log_action(incident_id, history.CLOSED, user, {"open_steps": left} if left else {}, db)
            elif after.status == OPEN:
                history.log_action(incident_id, history.REOPENED, user, {}, db)
        out = records.pending_update(incident_id, db)
        if out is None:
            out = records.enqueue(incident_id, "update", incident.channel, incident.thread_ts, db)
        incident = records.get(incident_id, db)
    assert incident is not None
    new_step = next(s for s in incident.steps if s.pos == pos)
    return TickResult(True, incident=incident, step=new_step, outbox_id=out)


def _clauses(itype, do_not_rebut: tuple[str, ...]) -> tuple[tuple[CitedClause, ...], tuple[str, ...]]:
    """(clauses to quote, the type's clause ids this pack's guideline does not have or has not confirmed)."""
    from bot.knowledge import current_pack
    from bot.search.index import current_index

    guideline = current_index().guideline
    pack = current_pack()
    ids = list(itype.clauses)
    if not any(i in do_not_rebut for i in ids) and do_not_rebut:
        ids.append(do_not_rebut[0])
    out, missing = [], []
    for cid in ids:
        target = pack.resolve(cid)
        c = guideline.get(target) if target else None
        if c is None:
            missing.append(cid)
            continue
        context = c.parent_text if c.parent and c.parent != c.section else ""
        out.append(CitedClause(c.id, c.title, c.heading, c.text, do_not_rebut=cid in do_not_rebut, parent_text=context))
    return tuple(out), tuple(missing)


def reply_for(incident: Incident | int, directory: DirectoryArg = CONFIGURED) -> IncidentReply:
    """The thread reply of an incident, from its current state."""
    if isinstance(incident, int):
        found = records.get(incident)
        if found is None:
            raise LookupError(incident)
        incident = found
    knowledge = report_types.load()
    try:
        itype = knowledge.get(incident.type)
    except KeyError:  # the type was removed from the knowledge file after the incident was opened
        itype = report_types.IncidentType(incident.type, incident.type, (), (), ())
    d = _directory(directory)
    from bot.knowledge import current_pack

    pack = current_pack()
    cited, missing = _clauses(itype, knowledge.do_not_rebut)
    return IncidentReply(
        incident_id=incident.id,
        type=incident.type,
        type_label=itype.label,
        status=incident.status,
        url=incident.url,
        reporter=incident.reporter,
        department=incident.department,
        department_known=bool(incident.department),
        mentions=incident.tagged,
        general_affairs=d.general_affairs.name if d else pack.general_affairs,
        clauses=cited,
        steps=incident.steps,
        channel=incident.channel,
        thread_ts=incident.thread_ts,
        directory_configured=d is not None,
        unavailable=missing,
        do_not_rebut=bool(knowledge.do_not_rebut),
        guideline_title=pack.guideline_title,
        owner=incident.owner,
        types=tuple((t.id, t.label) for t in knowledge.types),
        withdraw_reason=_withdraw_reason(incident),
        takedowns=tuple(_takedowns(incident.id)),
        note=incident.note,
    )


def _withdraw_reason(incident: Incident) -> str:
    if incident.status != WITHDRAWN:
        return ""
    entry = history.last_of(incident.id, history.WITHDRAWN)
    return str(entry.detail.get("reason") or "") if entry else ""


def _takedowns(incident_id: int) -> list:
    from bot.incidents import takedown_records

    return takedown_records.for_incident(incident_id)


def incidents(open_only: bool = False) -> list[Incident]:
    return records.all_incidents(open_only)


def open_incidents_for(user: str, directory: DirectoryArg = CONFIGURED) -> list[Incident]:
    """Open incidents the user reported or was tagged in; all open ones for 総務課 members."""
    d = _directory(directory)
    everything = records.all_incidents(open_only=True)
    if d is not None and d.is_general_affairs(user):
        return everything
    return [i for i in everything if user == i.reporter or user in i.tagged]


def next_step(incident: Incident) -> Step | None:
    return next((s for s in incident.steps if not s.done), None)


Sender = Callable[[OutboxMessage], str]


def deliver(message_id: int, send: Sender, at_start: bool = False) -> bool:
    """Send one outbox message with ``send`` (returns the Slack message ts). True when this call sent it.
    On an exception the message stays pending (error recorded) and the exception is not raised."""
    if not records.claim(message_id, at_start=at_start):
        return False
    msg = records.outbox_message(message_id)
    if msg is None or msg.sent_at:
        return False
    try:
        ts = send(msg)
    except Exception as err:  # noqa: BLE001 - any failure leaves the message for the next attempt
        log.warning("outbox %s (%s for incident %s) not delivered: %s", msg.id, msg.kind, msg.incident, err)
        records.mark_failed(message_id, f"{type(err).__name__}: {err}")
        return False
    return records.mark_sent(message_id, ts or "")


def flush(send: Sender, at_start: bool = False) -> tuple[int, int]:
    """Deliver every pending outbox message in order; (sent, still pending)."""
    sent = 0
    for msg in records.pending():
        if deliver(msg.id, send, at_start=at_start):
            sent += 1
    return sent, len(records.pending())
