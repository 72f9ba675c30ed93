"""「総務課に聞く」: a question the guideline does not cover (or only with low confidence) handed to 総務課.

An escalation keeps the question as the asker wrote it, the asker's user id (needed to send 総務課's
answer back by DM; nothing else about the person), and where it was posted for 総務課 (channel and
message ts: replies in that thread are 総務課's answer). 総務課 can label the question with a clause or
範囲外: the label becomes a learned example (bot.search.examples), used from the next question on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from bot import store
from bot.search.examples import add_learned_example
from bot.text import strip_controls

MAX_CHARS = 1000
OUT_OF_SCOPE_LABEL = "-"


@store.migration
def _tables(db) -> None:
    db["escalations"].create(
        {"id": int, "question": str, "asker": str, "channel": str, "ts": str, "status": str, "label": str,
         "labelled_by": str, "created": str, "answered": str},
        pk="id",
        if_not_exists=True,
    )
    db["escalations"].create_index(["channel", "ts"], if_not_exists=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Escalation:
    id: int
    question: str
    asker: str
    channel: str = ""
    ts: str = ""
    status: str = "open"  # open → posted → answered; label is separate
    label: str = ""  # clause id, "-" (範囲外) or "" (not yet)
    labelled_by: str = ""


def _row(r: dict) -> Escalation:
    return Escalation(r["id"], r["question"], r["asker"], r["channel"] or "", r["ts"] or "", r["status"],
                      r["label"] or "", r["labelled_by"] or "")


def open_escalation(question: str, asker: str) -> Escalation:
    q = strip_controls(question or "").strip()[:MAX_CHARS]
    row = {"question": q, "asker": asker, "channel": "", "ts": "", "status": "open", "label": "",
           "labelled_by": "", "created": _now(), "answered": ""}
    pk = store.db()["escalations"].insert(row).last_pk
    return get(pk)


def get(escalation_id: int) -> Escalation | None:
    try:
        return _row(store.db()["escalations"].get(int(escalation_id)))
    except Exception:  # noqa: BLE001 - NotFoundError, bad id
        return None


def posted(escalation_id: int, channel: str, ts: str) -> None:
    """The question was posted to 総務課's channel as message ``ts``."""
    store.db()["escalations"].update(int(escalation_id), {"channel": channel, "ts": ts, "status": "posted"})


def by_thread(channel: str, thread_ts: str) -> Escalation | None:
    rows = list(store.db()["escalations"].rows_where("channel = ? and ts = ?", [channel, thread_ts], limit=1))
    return _row(rows[0]) if rows else None


def answered(escalation_id: int) -> None:
    store.db()["escalations"].update(int(escalation_id), {"status": "answered", "answered": _now()})


def label(escalation_id: int, clause_id: str, by: str) -> Escalation | None:
    """総務課 labels the question: ``clause_id`` or OUT_OF_SCOPE_LABEL. Adds it to the learned examples."""
    esc = get(escalation_id)
    if esc is None:
        return None
    store.db()["escalations"].update(esc.id, {"label": clause_id, "labelled_by": by})
    add_learned_example(esc.question, () if clause_id == OUT_OF_SCOPE_LABEL else (clause_id,))
    return get(esc.id)
