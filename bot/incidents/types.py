"""Kinds of report with their clauses, steps and words, read from knowledge/report_types.toml.

The file is re-read when it changes (mtime/size), so 総務課 can edit wording and steps without a restart.
"""

from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot import config
from bot.errors import UserError
from bot.incidents.model import IncidentType
from bot.incidents.terms import term_keys

TYPES_FILE = "report_types.toml"
MAX_STEPS = 20  # one button per step; the reply must stay within Slack's 50 blocks per message


@dataclass(frozen=True)
class ReportKnowledge:
    types: tuple[IncidentType, ...]
    do_not_rebut: tuple[str, ...]
    report_signals: frozenset[str]
    own_actions: frozenset[str] = frozenset()

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
        knowledge = parse(path.read_text(encoding="utf-8"), str(path))
        _cache.clear()
        _cache[key] = knowledge
        return knowledge


def _str_list(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UserError(f"{where} は文字列の一覧（[\"…\", \"…\"]）で指定してください。")
    return tuple(v.strip() for v in value)


def parse(text: str, source: str = TYPES_FILE) -> ReportKnowledge:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"{source} を読み取れません（{err}）。") from err
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
            )
        )
    rebut = _str_list(data.get("do_not_rebut", ["5(3)"]), f"{source} の do_not_rebut")
    signals = _str_list(data.get("signals", {}).get("report", []), f"{source} の [signals] report")
    own = _str_list(data.get("signals", {}).get("own_actions", []), f"{source} の [signals] own_actions")
    return ReportKnowledge(
        tuple(types),
        rebut,
        frozenset(k for s in signals for k in term_keys(s)),
        frozenset(k for s in own for k in term_keys(s)),
    )
