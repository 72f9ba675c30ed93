"""An incident's record for the 決裁 and the list exports: plain data (``IncidentRecord``) rendered as
Markdown (a record a 総務課 clerk can paste into a 決裁 document) or CSV (UTF-8 with a BOM, so Excel opens it;
Japanese labels, JST times, display names).

People are named by a ``Names`` function (user id → display name): the Slack layer asks users.info, the CLI
uses the cache (bot.incidents.people.offline_names)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from bot.incidents import records
from bot.incidents import types as report_types
from bot.incidents.model import STATUS_LABELS, Incident
from bot.incidents.people import Names
from bot.incidents.when import jst_datetime, seireki
from bot.wording import line, table

if TYPE_CHECKING:
    from bot.incidents.model import LogEntry

BOM = "\ufeff"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@dataclass(frozen=True)
class StepRow:
    name: str
    done: bool
    who: str  # display name, "" when not done
    at: str  # JST, "" when not done


@dataclass(frozen=True)
class HistoryRow:
    at: str  # JST
    who: str  # display name (the bot: 「ボット（自動）」)
    what: str  # Japanese label of the action
    detail: str  # Japanese


@dataclass(frozen=True)
class TakedownRow:
    platform: str
    requested: str  # 2026年12月2日
    reference: str
    recheck: str
    result: str  # 確認待ち / 削除を確認 / まだ残っている


@dataclass(frozen=True)
class IncidentRecord:
    id: int
    type: str
    type_label: str
    status: str
    status_label: str
    url: str
    reporter: str
    reporter_name: str
    department: str
    created: str  # ISO UTC (as stored)
    created_jst: str
    owner: str
    owner_name: str
    channel: str
    thread_ts: str
    steps: tuple[StepRow, ...] = ()
    history: tuple[HistoryRow, ...] = ()
    takedowns: tuple[TakedownRow, ...] = field(default_factory=tuple)


def type_labels() -> dict[str, str]:
    try:
        return {t.id: t.label for t in report_types.load().types}
    except Exception:  # noqa: BLE001 - a broken report_types.toml: ids are shown
        return {}


def _bot_or(names: Names, user: str) -> str:
    return names(user) if user else line("record", "bot")


def describe(entry: LogEntry, names: Names, labels: dict[str, str]) -> HistoryRow:
    """One 経過 entry in Japanese: (when, who, what, detail)."""
    actions, details = table("record", "actions"), table("record", "details")
    sep = details["separator"]
    d = dict(entry.detail or {})
    what = actions.get(entry.action, entry.action)
    fmt = ""
    values: dict[str, str] = {}
    if entry.action == "opened":
        fmt = details["opened"]
        values = {"type": labels.get(d.get("type", ""), d.get("type", "")), "url": d.get("url", "")}
    elif entry.action in ("notified", "reminded"):
        fmt = details[entry.action]
        to = d.get("tagged") or d.get("to") or []
        values = {"who": sep.join(names(u) for u in to if u)}
    elif entry.action == "type_changed":
        fmt = details["type_changed"]
        values = {"from": labels.get(d.get("from", ""), d.get("from", "")), "to": labels.get(d.get("to", ""), d.get("to", ""))}
    elif entry.action == "withdrawn":
        fmt, values = details["withdrawn"], {"reason": str(d.get("reason", ""))}
    elif entry.action == "claimed":
        prev = d.get("previous") or ""
        fmt, values = (details["claimed"], {"previous": f"（前の担当: {names(prev)}）"}) if prev else ("", {})
    elif entry.action in ("step_done", "step_undone"):
        fmt, values = details["step"], {"step": str(d.get("step", ""))}
    elif entry.action == "closed" and d.get("open_steps"):
        fmt, values = details["closed"], {"open_steps": sep.join(d["open_steps"])}
    elif entry.action == "note":
        fmt, values = details["note"], {"text": str(d.get("text", ""))}
    elif entry.action == "takedown_requested":
        fmt = details["takedown_requested"]
        values = {"platform": d.get("platform", ""), "requested": seireki(d.get("requested")),
                  "reference": d.get("reference") or line("record", "nobody"), "recheck": seireki(d.get("recheck"))}
    elif entry.action == "rechecked":
        removed = d.get("result") == "removed"
        fmt = details["rechecked_removed" if removed else "rechecked_remaining"]
        values = {"platform": d.get("platform", ""), "recheck": seireki(d.get("recheck"))}
    elif entry.action == "notice_drafted":
        fmt, values = details["notice_drafted"], {"kind": d.get("label", d.get("kind", ""))}
    detail = fmt.format(**values).strip().rstrip("　").strip() if fmt else ""
    return HistoryRow(jst_datetime(entry.at), _bot_or(names, entry.actor), what, detail)


def _takedown_rows(incident_id: int) -> tuple[TakedownRow, ...]:
    try:
        from bot.incidents import takedown_records as takedowns
    except ImportError:
        return ()
    return tuple(TakedownRow(t.platform_label, seireki(t.requested), t.reference, seireki(t.recheck), t.result_label)
                 for t in takedowns.for_incident(incident_id))


def _history(incident_id: int) -> list[LogEntry]:
    from bot.incidents.history import history

    return history(incident_id)


def _opened_entry(incident: Incident):
    """The first line of every 経過 when the log has none (incidents opened before the log existed)."""
    from bot.incidents.model import LogEntry

    return LogEntry(incident.created, incident.reporter, "opened", {"type": incident.type, "url": incident.url})


def build(incident: Incident, names: Names, labels: dict[str, str] | None = None, with_history: bool = True) -> IncidentRecord:
    labels = type_labels() if labels is None else labels
    steps = tuple(StepRow(s.name, s.done, names(s.done_by) if s.done_by else "", jst_datetime(s.done_at)) for s in incident.steps)
    owner = getattr(incident, "owner", "") or ""
    hist: tuple[HistoryRow, ...] = ()
    if with_history:
        entries = _history(incident.id)
        if not any(e.action == "opened" for e in entries):
            entries = [_opened_entry(incident), *entries]
        hist = tuple(describe(e, names, labels) for e in entries)
    return IncidentRecord(
        id=incident.id, type=incident.type, type_label=labels.get(incident.type, incident.type),
        status=incident.status, status_label=STATUS_LABELS.get(incident.status, incident.status),
        url=incident.url, reporter=incident.reporter, reporter_name=names(incident.reporter),
        department=incident.department, created=incident.created, created_jst=jst_datetime(incident.created),
        owner=owner, owner_name=names(owner) if owner else "", channel=incident.channel, thread_ts=incident.thread_ts,
        steps=steps, history=hist, takedowns=_takedown_rows(incident.id),
    )


def record(incident_id: int, names: Names) -> IncidentRecord | None:
    incident = records.get(incident_id)
    return build(incident, names) if incident is not None else None


# --- Markdown ------------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return re.sub(r"\s*[\r\n\t]+\s*", " ", str(value or "")).strip().replace("|", "\\|")


def markdown(rec: IncidentRecord, now: datetime | None = None) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from bot.knowledge import general_affairs, town

    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["cell"] = _cell
    return env.get_template("record.md.j2").render(
        r=rec, town=town(), general_affairs=general_affairs(), lines=table("record"),
        printed=jst_datetime(now or datetime.now(timezone.utc)))


# --- CSV -----------------------------------------------------------------------------------------------

LIST_FIELDS = ("id", "type", "status", "url", "reporter", "department", "channel", "thread_ts", "created", "steps",
               "owner", "takedowns")
HISTORY_FIELDS = ("id", "type", "status", "url", "reporter", "department", "created", "owner", "at", "actor",
                  "action", "detail")


def _csv(header: tuple[str, ...], rows: list[dict]) -> bytes:
    labels = table("record", "csv")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # Excel's line ends
    writer.writerow([labels[h] for h in header])
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return (BOM + out.getvalue()).encode("utf-8")


def _base(rec: IncidentRecord) -> dict:
    return {"id": rec.id, "type": rec.type_label, "status": rec.status_label, "url": rec.url,
            "reporter": rec.reporter_name, "department": rec.department or line("record", "unknown_department"),
            "channel": rec.channel, "thread_ts": rec.thread_ts, "created": rec.created_jst, "owner": rec.owner_name}


def list_csv(recs: list[IncidentRecord]) -> bytes:
    """One row per incident (the fields of the list, in its order), Japanese labels, BOM."""
    rows = []
    for rec in recs:
        steps = "; ".join(f"{s.name}（{s.who} {s.at}）" for s in rec.steps if s.done)
        takedowns = "; ".join(f"{t.platform} {t.requested} {t.result}" for t in rec.takedowns)
        rows.append({**_base(rec), "steps": steps, "takedowns": takedowns})
    return _csv(LIST_FIELDS, rows)


def history_csv(rec: IncidentRecord) -> bytes:
    """The 経過 of one incident, one row per entry (the incident's columns repeated, for filtering), BOM."""
    base = _base(rec)
    rows = [{**base, "at": h.at, "actor": h.who, "action": h.what, "detail": h.detail} for h in rec.history]
    return _csv(HISTORY_FIELDS, rows or [base])
