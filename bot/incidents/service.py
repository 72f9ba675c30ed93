"""Report → Incident: open (with dedupe), tick steps, build reply data, list, deliver the outbox.

The Slack layer calls these with plain values (user ids, channel, ts, message key) and renders the results.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable

from bot.incidents import directory as directory_mod
from bot.incidents import records
from bot.incidents import types as report_types
from bot.incidents.model import (
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
    dept = directory.department_of(reporter)
    ga = directory.general_affairs
    tags: list[str] = []
    if dept is not None and dept is not ga and dept.head:
        tags.append(dept.head)
    tags.extend(ga.mentions)
    tags = [u for u in dict.fromkeys(tags) if u and u != reporter]
    if not tags and ga.members:  # the 総務課 head reported: tell the rest of 総務課
        tags = [u for u in ga.members if u != reporter]
    return (dept.name if dept else ""), tuple(tags)


def submit(
    report: Report,
    *,
    reporter: str,
    channel: str = "",
    thread_ts: str = "",
    message_key: str | None = None,
    directory: DirectoryArg = CONFIGURED,
) -> Opened:
    """Store a report before anything is sent to Slack and queue its reply in the outbox.

    - ``message_key`` (the reported message, channel:ts) seen before (Slack retry, also across restarts,
      or a shortcut on a message already reported): nothing new; ``retry`` is True.
    - URL of an open incident: that incident is returned with ``duplicate`` True, and a notice linking to
      it is queued for this report's thread.
    - otherwise a new incident with the steps of its type.
    """
    knowledge = report_types.load()
    itype = knowledge.get(report.type)
    dept_name, tags = routing(reporter, _directory(directory))
    with records.transaction() as db:
        if message_key:
            seen = records.incident_for_message(message_key, db)
            if seen is not None:
                return Opened(seen, created=False, retry=True)
        existing = records.open_with_url(report.urls, db)
        if existing is not None:
            records.remember_message(message_key, existing.id, db)
            out = records.enqueue(existing.id, "duplicate", channel, thread_ts, db, {"reporter": reporter})
            return Opened(existing, created=False, duplicate=True, outbox_id=out)
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
        )
        records.remember_message(message_key, incident_id, db)
        out = records.enqueue(incident_id, "reply", channel, thread_ts, db)
        incident = records.get(incident_id, db)
    assert incident is not None
    log.info("incident %s opened (%s) by %s", incident.id, incident.type, reporter)
    return Opened(incident, created=True, outbox_id=out)


def may_tick(incident: Incident, user: str, directory: Directory | None) -> bool:
    """The reporter, the users tagged in the reply (department head, 総務課) and 総務課 members."""
    if user == incident.reporter or user in incident.tagged:
        return True
    return directory is not None and directory.is_general_affairs(user)


def tick(incident_id: int, pos: int, user: str, directory: DirectoryArg = CONFIGURED) -> TickResult:
    """A click on step ``pos``: done by ``user`` now; a click on a done step undoes it. Ticking the last
    step (完了) closes the incident. An update of the thread reply is queued."""
    incident = records.get(incident_id)
    if incident is None:
        return TickResult(False, message=NOT_FOUND)
    if not may_tick(incident, user, _directory(directory)):
        return TickResult(False, incident=incident, message=REFUSED)
    step = next((s for s in incident.steps if s.pos == pos), None)
    if step is None:
        return TickResult(False, incident=incident, message=line("report", "step_not_found"))
    with records.transaction() as db:
        records.set_step(incident_id, pos, None if step.done else user, db)
        out = records.pending_update(incident_id, db)
        if out is None:
            out = records.enqueue(incident_id, "update", incident.channel, incident.thread_ts, db)
        incident = records.get(incident_id, db)
    assert incident is not None
    new_step = next(s for s in incident.steps if s.pos == pos)
    return TickResult(True, incident=incident, step=new_step, outbox_id=out)


def _clauses(itype, do_not_rebut: tuple[str, ...]) -> tuple[CitedClause, ...]:
    from bot.search.index import current_index

    guideline = current_index().guideline
    ids = list(itype.clauses)
    if not any(i in do_not_rebut for i in ids) and do_not_rebut:
        ids.append(do_not_rebut[0])
    out = []
    for cid in ids:
        c = guideline.get(cid)
        if c is None:
            log.warning("clause %s of report type %s is not in the active guideline", cid, itype.id)
            continue
        context = c.parent_text if c.parent and c.parent != c.section else ""
        out.append(CitedClause(c.id, c.title, c.heading, c.text, do_not_rebut=cid in do_not_rebut, parent_text=context))
    return tuple(out)


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
        general_affairs=d.general_affairs.name if d else "総務課",
        clauses=_clauses(itype, knowledge.do_not_rebut),
        steps=incident.steps,
        channel=incident.channel,
        thread_ts=incident.thread_ts,
        directory_configured=d is not None,
    )


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
