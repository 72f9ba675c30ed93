"""Reminders about open incidents, during office hours only (bot/incidents/calendar.py).

Each source in ``REMINDER_SOURCES`` looks at the incidents at a given time and returns the reminders due.
``run(now)`` writes each new one (its key, the outbox Delivery and, per incident, a `reminded` 経過 entry) in
one transaction: the key is marked before anything is sent, so a reminder is never sent twice, also across a
restart; the delivery worker sends the Delivery (kind ``remind``). The clock is a parameter (tests inject it).

Sources here:
- ``stalled``: an open incident with no step done for ``BOT_REMIND_AFTER_HOURS`` office hours reminds its
  owner, or (nobody owns it) the people tagged in its reply (department heads, 総務課); once per period of
  that many office hours.
- ``weekly``: on the first office day of each week (Monday, or the next office day), a summary of the open
  incidents to 総務課 (BOT_SOUMU_CHANNEL, else its head/members by direct message).
Another area adds a source with ``REMINDER_SOURCES.append(fn)`` and a renderer in bot/slack/reminders.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot import config, store
from bot.incidents import calendar as calendar_mod
from bot.incidents import history, records
from bot.incidents.model import Incident

log = logging.getLogger(__name__)

STALLED = "stalled"
WEEKLY = "weekly"


@dataclass(frozen=True)
class Reminder:
    """A reminder due now. ``key`` is unique for ever (the same key is never sent twice). The Delivery
    belongs to ``incident``; ``logged`` incidents get a `reminded` 経過 entry. It goes to ``channel`` when
    set, else to ``to`` by direct message. ``values`` are kept with it for the wording."""

    key: str
    kind: str
    incident: int
    to: tuple[str, ...] = ()
    channel: str = ""
    values: dict = field(default_factory=dict)
    logged: tuple[int, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a source gets: the time (aware), the office calendar, the settings, the open incidents."""

    now: datetime
    calendar: calendar_mod.Calendar
    settings: config.ReminderSettings
    open_incidents: tuple[Incident, ...]
    db: object = None


Source = Callable[[Context], list[Reminder]]


@store.migration
def _tables(db) -> None:
    db["reminders_sent"].create({"key": str, "at": str, "kind": str, "incident": int, "outbox": int},
                                pk="key", if_not_exists=True)


def last_activity(incident: Incident) -> str:
    """When the incident last moved: its latest done step, else when it was opened (ISO UTC)."""
    done = [s.done_at for s in incident.steps if s.done and s.done_at]
    return max([incident.created, *done])


def _parse(iso: str) -> datetime:
    dt = datetime.fromisoformat(iso)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _general_affairs() -> tuple[str, ...]:
    from bot.incidents import directory

    try:
        d = directory.current()
    except Exception as err:  # noqa: BLE001 - a broken directory must not stop the other reminders
        log.warning("directory unusable for reminders: %s", type(err).__name__)
        return ()
    if d is None:
        return ()
    return tuple(d.general_affairs.mentions or d.general_affairs.members)


def stalled(ctx: Context) -> list[Reminder]:
    if not ctx.calendar.is_open(ctx.now):
        return []
    out = []
    every = ctx.settings.after_hours
    for inc in ctx.open_incidents:
        since = last_activity(inc)
        hours = ctx.calendar.office_hours_between(_parse(since), ctx.now)
        period = int(hours // every)
        if period < 1:
            continue
        to = (inc.owner,) if inc.owner else (inc.tagged or (inc.reporter,))
        out.append(Reminder(key=f"{STALLED}:{inc.id}:{since}:{period}", kind=STALLED, incident=inc.id,
                            to=tuple(u for u in to if u),
                            values={"hours": round(period * every, 2), "period": period, "since": since,
                                    "owner": inc.owner},
                            logged=(inc.id,)))
    return out


def weekly(ctx: Context) -> list[Reminder]:
    today = ctx.now.astimezone(calendar_mod.JST).date()
    if not ctx.open_incidents or not ctx.calendar.is_open(ctx.now) \
            or ctx.calendar.first_office_day_of_week(today) != today:
        return []
    year, week, _ = today.isocalendar()
    channel = config.soumu_channel()
    to = _general_affairs()
    if not channel and not to:
        return []
    first = min(i.id for i in ctx.open_incidents)
    return [Reminder(key=f"{WEEKLY}:{year}-W{week:02d}", kind=WEEKLY, incident=first, to=to, channel=channel,
                     values={"incidents": [i.id for i in ctx.open_incidents]})]


REMINDER_SOURCES: list[Source] = [stalled, weekly]


def due(now: datetime, sources: list[Source] | None = None) -> list[Reminder]:
    """Every reminder the sources find due at ``now`` (already sent ones included; ``run`` skips them)."""
    ctx = Context(now=now, calendar=calendar_mod.current(), settings=config.reminders(),
                  open_incidents=tuple(records.all_incidents(open_only=True)))
    found: list[Reminder] = []
    for source in REMINDER_SOURCES if sources is None else sources:
        try:
            found.extend(source(ctx))
        except Exception as err:  # noqa: BLE001 - one broken source must not stop the others
            log.error("reminder source %s failed: %s", getattr(source, "__name__", source), type(err).__name__)
    return found


def run(now: datetime | None = None, sources: list[Source] | None = None) -> list[int]:
    """Queue the reminders due at ``now`` that were never queued; the outbox ids queued."""
    now = now or datetime.now(timezone.utc)
    at = now.astimezone(timezone.utc).isoformat(timespec="seconds")
    queued = []
    for r in due(now, sources):
        if not r.to and not r.channel:
            continue
        with store.transaction() as db:
            cur = db.execute("insert or ignore into reminders_sent (key, at, kind, incident) values (?, ?, ?, ?)",
                             [r.key, at, r.kind, r.incident])
            if cur.rowcount != 1:
                continue  # queued before (this run or an earlier one)
            out = records.enqueue(r.incident, "remind", r.channel, "", db,
                                  {"reminder": r.kind, "to": list(r.to), "channel": r.channel, "values": r.values})
            db.execute("update reminders_sent set outbox = ? where key = ?", [out, r.key])
            for incident_id in r.logged:
                history.log_action(incident_id, history.REMINDED, "",
                                   {"source": r.kind, "to": list(r.to), "channel": r.channel, **r.values}, db, at=at)
        log.info("reminder %s queued (outbox %s)", r.key, out)
        queued.append(out)
    return queued
