"""Kinds of report with their clauses, steps and words, read from knowledge/report_types.toml.

The file is re-read when it changes (mtime/size), so 総務課 can edit wording and steps without a restart.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from bot import config
from bot.errors import UserError
from bot.incidents.model import IncidentType
from bot.incidents.terms import term_keys

TYPES_FILE = "report_types.toml"
MAX_STEPS = 20  # one button per step; the reply must stay within Slack's 50 blocks per message


@dataclass(frozen=True)
class Whose:
    """Words that tell whose post a report is about ([whose] in the file), as normalized token keys.
    own: the town's own account or post is a subject word (町, 公式, 広報…) followed within a few tokens by a
    media word (投稿, インスタ, アカウント…); others: a place or author that is not the town (5ch, スレ, 住民…)."""

    subjects: frozenset[str] = frozenset()
    media: frozenset[str] = frozenset()
    others: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ReportKnowledge:
    types: tuple[IncidentType, ...]
    do_not_rebut: tuple[str, ...]
    report_signals: frozenset[str]
    own_actions: frozenset[str] = frozenset()
    whose: Whose = Whose()  # whose post a report is about
    # step name → the words that name it in a thread mention ([step_words]), as token key sequences
    step_words: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()

    def words_for(self, step: str) -> tuple[tuple[str, ...], ...]:
        """Token key sequences naming ``step``: its own name and its [step_words]."""
        own = term_keys(step)
        extra = next((w for name, w in self.step_words if name == step), ())
        return tuple(k for k in (own, *extra) if k)

    def get(self, type_id: str) -> IncidentType:
        for t in self.types:
            if t.id == type_id:
                return t
        raise KeyError(type_id)

    @property
    def default(self) -> IncidentType:
        """The type used when a report was made explicitly (shortcut) but no word decides its kind:
        the broadest one, a notable post about the town (5(3))."""
        return self.types[-1]


_lock = threading.Lock()
_cache: dict[tuple, ReportKnowledge] = {}


def _path() -> Path:
    return config.knowledge_dir() / TYPES_FILE


def load() -> ReportKnowledge:
    path = _path()
    try:
        st = os.stat(path)
    except FileNotFoundError as err:
        raise UserError(f"報告の種類を定めたファイル {path} がありません。") from err
    key = (str(path), st.st_mtime_ns, st.st_size)
    hit = _cache.get(key)
    if hit:
        return hit
    with _lock:
        from bot.knowledge.read import read_text

        knowledge = parse(read_text(path, TYPES_FILE), TYPES_FILE)
        _cache.clear()
        _cache[key] = knowledge
        return knowledge


def _str_list(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UserError(f"{where} は文字列の一覧（[\"…\", \"…\"]）で指定してください。")
    return tuple(v.strip() for v in value)


def parse(text: str, source: str = TYPES_FILE) -> ReportKnowledge:
    from bot.knowledge.read import parse_toml

    data = parse_toml(text, source)
    raw_types = data.get("types")
    if not isinstance(raw_types, list) or not raw_types:
        raise UserError(f"{source}: [[types]] が1つもありません。")
    types = []
    seen = set()
    for n, raw in enumerate(raw_types, start=1):
        where = f"{source} の {n} 番目の [[types]]"
        tid = raw.get("id")
        if not isinstance(tid, str) or not tid.strip():
            raise UserError(f"{where} に id がありません。")
        if tid in seen:
            raise UserError(f"{where}: id「{tid}」が重複しています。")
        seen.add(tid)
        steps = _str_list(raw.get("steps"), f"{where} の steps")
        if not steps or len(steps) > MAX_STEPS:
            raise UserError(f"{where} の steps は1〜{MAX_STEPS}個にしてください（Slack の1メッセージに収まる数です）。")
        types.append(
            IncidentType(
                id=tid.strip(),
                label=str(raw.get("label") or tid).strip(),
                clauses=_str_list(raw.get("clauses", []), f"{where} の clauses"),
                steps=steps,
                terms=_str_list(raw.get("terms", []), f"{where} の terms"),
                if_others=str(raw.get("if_others") or "").strip(),
                description=str(raw.get("description") or "").strip(),
            )
        )
    for n, t in enumerate(types, start=1):
        if t.if_others and t.if_others not in seen:
            raise UserError(f"{source} の {n} 番目の [[types]]: if_others「{t.if_others}」という id の種類がありません。")
    rebut = _str_list(data.get("do_not_rebut", ["5(3)"]), f"{source} の do_not_rebut")
    signals = _str_list(data.get("signals", {}).get("report", []), f"{source} の [signals] report")
    own = _str_list(data.get("signals", {}).get("own_actions", []), f"{source} の [signals] own_actions")
    raw_whose = data.get("whose", {})
    if not isinstance(raw_whose, dict):
        raise UserError(f"{source} の [whose] は表（[whose] の下に own_subjects = [...] など）で書いてください。")
    whose = Whose(
        subjects=frozenset(k for s in _str_list(raw_whose.get("own_subjects", []), f"{source} の [whose] own_subjects")
                           for k in term_keys(s)),
        media=frozenset(k for s in _str_list(raw_whose.get("own_media", []), f"{source} の [whose] own_media")
                        for k in term_keys(s)),
        others=tuple(k for k in (term_keys(s) for s in _str_list(raw_whose.get("others", []), f"{source} の [whose] others")) if k),
    )
    raw_words = data.get("step_words", {})
    if not isinstance(raw_words, dict):
        raise UserError(f"{source} の [step_words] は「手順名 = [\"語\", …]」の形で書いてください。")
    step_words = []  # a name no type lists any more still serves the steps of incidents opened before
    for name, words in raw_words.items():
        step_words.append((name, tuple(k for w in _str_list(words, f"{source} の [step_words] の「{name}」")
                                       if (k := term_keys(w)))))
    return ReportKnowledge(
        tuple(types),
        rebut,
        frozenset(k for s in signals for k in term_keys(s)),
        frozenset(k for s in own for k in term_keys(s)),
        whose,
        step_words=tuple(step_words),
    )
