"""Feedback on answers and the log of questions the guideline does not cover.

Plain data, no Slack types: the Slack app and the CLI both call these functions. Only questions are
stored here (never a draft post: bot.search.intent sorts drafts, greetings and help requests out before
anything is logged). The unanswered log keeps no user ids: 総務課 needs what was asked and how often, not who.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from bot import store
from bot.text import nfkc, strip_controls

VOTES = ("up", "down")
MAX_STORED_CHARS = 1000


@store.migration
def _tables(db) -> None:
    db["feedback"].create(
        {"id": int, "question": str, "clause_ids": str, "vote": str, "user": str, "created": str},
        pk="id",
        if_not_exists=True,
    )
    db["unanswered"].create(
        {"id": int, "question": str, "key": str, "source": str, "created": str},
        pk="id",
        if_not_exists=True,
    )
    if "user" in db["unanswered"].columns_dict:  # earlier versions kept who asked: drop it
        db["unanswered"].transform(drop={"user"})
    db["unanswered"].create_index(["key"], if_not_exists=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _clean(question: str) -> str:
    return strip_controls(question or "").strip()[:MAX_STORED_CHARS]


def question_key(question: str) -> str:
    """Questions that differ only in width, case, spacing or final punctuation count as one."""
    q = nfkc(_clean(question)).lower()
    q = re.sub(r"\s+", "", q)
    return q.rstrip("?？。.!！")


def record_feedback(question: str, clause_ids: list[str], vote: str, user: str) -> int:
    """Store one 👍/👎 click; returns the row id."""
    if vote not in VOTES:
        raise ValueError(f"vote must be one of {VOTES}")
    row = {
        "question": _clean(question),
        "clause_ids": json.dumps(list(clause_ids), ensure_ascii=False),
        "vote": vote,
        "user": user or "",
        "created": _now(),
    }
    return store.db()["feedback"].insert(row).last_pk


def feedback_rows() -> list[dict]:
    rows = list(store.db()["feedback"].rows_where(order_by="id"))
    for r in rows:
        r["clause_ids"] = json.loads(r["clause_ids"])
    return rows


def log_unanswered(question: str, source: str = "") -> None:
    """Remember a question the guideline did not answer (for 総務課 to improve the knowledge files).
    Only the question, where it was asked (dm, command, mention) and when: no user id."""
    q = _clean(question)
    if not q:
        return
    store.db()["unanswered"].insert({"question": q, "key": question_key(q), "source": source, "created": _now()})


@dataclass(frozen=True)
class UnansweredQuestion:
    question: str  # the most recent wording
    count: int
    first_asked: str
    last_asked: str

    def to_dict(self) -> dict:
        return {"question": self.question, "count": self.count, "first_asked": self.first_asked, "last_asked": self.last_asked}


def unanswered_summary() -> list[UnansweredQuestion]:
    """Unanswered questions grouped by wording, most asked first."""
    rows = store.db().query(
        """
        select key, count(*) as n, min(created) as first, max(created) as last,
               (select question from unanswered u2 where u2.key = u.key order by id desc limit 1) as question
        from unanswered u group by key order by n desc, last desc
        """
    )
    return [UnansweredQuestion(r["question"], r["n"], r["first"], r["last"]) for r in rows]


def unanswered() -> list[UnansweredQuestion]:
    """Unanswered questions (question, count, first_asked, last_asked), most asked first (Report's Home)."""
    return unanswered_summary()


@dataclass(frozen=True)
class Downvote:
    question: str
    clause_ids: tuple[str, ...]
    created: str  # ISO UTC


def latest_downvotes(limit: int = 5) -> list[Downvote]:
    """The latest answers marked 👎 (newest first), for 総務課."""
    rows = store.db().query("select question, clause_ids, created from feedback where vote = 'down' "
                            "order by id desc limit ?", [limit])
    return [Downvote(r["question"], tuple(json.loads(r["clause_ids"] or "[]")), r["created"]) for r in rows]


def latest_unanswered(limit: int = 5) -> list[UnansweredQuestion]:
    """Unanswered questions, most recently asked first (for 総務課's Home)."""
    return sorted(unanswered_summary(), key=lambda q: q.last_asked, reverse=True)[:limit]
