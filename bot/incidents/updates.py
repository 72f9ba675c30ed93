"""A mention in an incident's thread is an update of that incident: 「Xに削除依頼を出しました」 names the open
step 「プラットフォームへ削除依頼」 (its name or its [step_words] in knowledge/report_types.toml, compared as
Sudachi token keys). The last step (完了) is never matched: closing goes through its own button."""

from __future__ import annotations

from bot.incidents import records
from bot.incidents import types as report_types
from bot.incidents.model import Incident, Step
from bot.incidents.terms import _key, _meaningful
from bot.text import nfkc, tokenize


def _keys(text: str) -> tuple[str, ...]:
    return tuple(_key(t) for t in tokenize(nfkc(text or "")) if _meaningful(t))


def _contains(hay: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def matching_step(incident: Incident, text: str) -> Step | None:
    """The open step the text names (the longest matching word wins; ties: the earlier step), else None."""
    knowledge = report_types.load()
    hay = _keys(text)
    candidates = [s for s in incident.steps if not s.done and s is not incident.steps[-1]]
    best: tuple[int, int, Step] | None = None
    for order, step in enumerate(candidates):
        score = max((len("".join(w)) for w in knowledge.words_for(step.name) if _contains(hay, w)), default=0)
        if score and (best is None or score > best[0]):
            best = (score, -order, step)
    return best[2] if best else None


def incident_in_thread(channel: str, thread_ts: str, db=None) -> Incident | None:
    """The incident whose thread this is (the report message's thread, or the reply's in a DM)."""
    if not (channel and thread_ts):
        return None
    from bot import store

    db = db or store.db()
    rows = list(db.query("select id from incidents where (channel = ? and thread_ts = ?) or "
                         "(reply_channel = ? and reply_ts = ?) order by id desc limit 1",
                         [channel, thread_ts, channel, thread_ts]))
    return records.get(rows[0]["id"], db) if rows else None
