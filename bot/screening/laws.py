"""The laws posts often touch (knowledge/screening/laws.toml), as one more source of Check's findings.

Each ``[[law]]`` is one situation under one law (公職選挙法・公務員の地位利用, 廃棄物処理法・野焼き, …) with the
clause it falls under (6(3), 6(5) for elections, 6(7) for copyright), the words / patterns that raise it
(the same matching as the rules: ``near``, ``unless``), ``context`` words that let a finding of the learned
layer name it, a one-line reason and a suggestion. Its examples and not-examples are checked at load.

A finding raised through a law says so: 「公職選挙法（公務員の地位利用）に触れるおそれがあります。…」.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from bot.screening.matcher import Hit, rule_hits
from bot.screening.normalize import DraftText
from bot.screening.source import RulesError, Source, alternation, check_examples, examples, matching, str_list

FILE = "laws.toml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# the category a clause's law findings are reported under, when the law does not name one
PREFERRED = ("illegal", "politics", "copyright")
KEYS = {"id", "law", "topic", "clause", "category", "reason", "suggestion", "terms", "patterns", "near",
        "near_patterns", "unless", "context", "severity", "account", "examples", "not_examples"}


@dataclass(frozen=True)
class Law:
    id: str  # stable, e.g. "senkyo-chii-riyou"
    law: str  # 公職選挙法
    topic: str  # 公務員の地位利用
    clause: str  # the guideline clause, e.g. 6(5)
    category: str  # the category the finding is reported under (its clause is ``clause``)
    reason: str  # one line: why this touches the law
    suggestion: str
    regexes: tuple[re.Pattern, ...]
    near: re.Pattern | None
    unless: re.Pattern | None
    context: re.Pattern | None  # words that point at this law in a learned finding
    severity: str | None
    account: str
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]
    where: str

    @property
    def name(self) -> str:
        return f"{self.law}（{self.topic}）"

    @property
    def message(self) -> str:
        return f"{self.name}に触れるおそれがあります。{self.reason}"


def _text(src: Source, item: dict, key: str, line: int, one_line: bool = True) -> str:
    v = item.get(key)
    if not isinstance(v, str) or not v.strip():
        raise src.error(src.line_of(key, line) or line, f"法令に「{key}」（文字列）を書いてください。")
    v = v.strip()
    if one_line and "\n" in v:
        raise src.error(src.line_of(key, line) or line, f"法令の「{key}」は1行で書いてください。")
    return v


def _category(src: Source, item: dict, clause: str, categories: dict, line: int) -> str:
    name = item.get("category")
    if name is not None:
        if name not in categories:
            raise src.error(src.line_of("category", line) or line, f"category「{name}」は categories.toml に定義されていません。")
        if categories[name].clause != clause:
            raise src.error(src.line_of("clause", line) or line,
                            f"clause「{clause}」と category「{name}」の条項（{categories[name].clause}）が合いません。")
        return name
    match = [n for n, c in categories.items() if c.clause == clause]
    if not match:
        raise src.error(src.line_of("clause", line) or line,
                        f"条項「{clause}」を使う種類が categories.toml にありません（例: 6(3)、6(5)、6(7)）。")
    return next((n for n in PREFERRED if n in match), match[0])


def parse(src: Source, categories: dict, rule_ids: set[str] | frozenset = frozenset()) -> tuple[Law, ...]:
    """The laws of one parsed laws.toml, validated (RulesError names the file and line)."""
    extra = set(src.data) - {"law"}
    if extra:
        key = sorted(extra)[0]
        raise src.error(src.line_of(key), f"法令は [[law]] で始めてください（不明な項目「{key}」）。")
    items = src.data.get("law", [])
    if not isinstance(items, list):
        raise src.error(src.line_of("law"), "法令は [[law]] の表として書いてください。")
    seen: dict[str, int] = {}
    out = []
    for i, item in enumerate(items):
        line = src.header_line("[[law]]", i)
        unknown = set(item) - KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise src.error(src.line_of(key, line) or line, f"法令に不明な項目「{key}」があります（使えるもの: {', '.join(sorted(KEYS))}）。")
        lid = item.get("id")
        if not isinstance(lid, str) or not ID_RE.match(lid):
            raise src.error(src.line_of("id", line) or line, "法令には id（半角の英小文字・数字・ハイフン、例: senkyo-chii-riyou）を書いてください。")
        if lid in seen or lid in rule_ids:
            where = f"{seen[lid]}行目" if lid in seen else "rules/ の規則"
            raise src.error(src.line_of(lid, line) or line, f"法令の id「{lid}」は {where} でも使われています。別の id にしてください。")
        seen[lid] = line
        law, topic = _text(src, item, "law", line), _text(src, item, "topic", line)
        clause = _text(src, item, "clause", line)
        category = _category(src, item, clause, categories, line)
        reason, suggestion = _text(src, item, "reason", line), _text(src, item, "suggestion", line)
        m = matching(src, item, line, "法令", f"法令「{lid}」には terms（語句）か patterns（正規表現）を1つ以上書いてください。")
        context = str_list(src, item.get("context", []), "context", line)
        exs, nots = examples(src, item, line, f"法令「{lid}」に examples（この法令で見つかるはずの文）を1つ以上書いてください。")
        entry = Law(
            id=lid, law=law, topic=topic, clause=clause, category=category, reason=reason, suggestion=suggestion,
            regexes=m.regexes, near=m.near, unless=m.unless, context=re.compile(alternation(context)) if context else None,
            severity=m.severity, account=m.account, examples=exs, not_examples=nots, where=f"{src.name} {line}行目",
        )
        check_examples(src, entry, line, "法令「{id}」の examples の文「{ex}」を、この法令の語句・パターンで見つけられません。",
                       "法令「{id}」が not_examples の文「{ex}」を指摘してしまいます。")
        out.append(entry)
    return tuple(out)


def load(folder: Path, categories: dict, rule_ids: set[str] | frozenset = frozenset()) -> tuple[Law, ...]:
    """The laws of ``folder``/laws.toml (folder = knowledge/screening); () when the pack has none."""
    path = folder / FILE
    if not path.exists():
        return ()
    return parse(Source(path, f"{folder.name}/{FILE}"), categories, rule_ids)


def hits(doc: DraftText, laws: tuple[Law, ...], text: str) -> Iterator[Hit]:
    """Hits of every law in the (masked) normalized text, each naming its law."""
    for law in laws:
        for h in rule_hits(law, doc, text):
            yield replace(h, law=law.id)


def likely(laws: tuple[Law, ...], category: str, sentence: str) -> Law | None:
    """The law a learned finding of ``category`` in ``sentence`` (normalized, with the sentence before it)
    most likely touches: its own words or patterns count 2, each distinct context word 1; None below 1."""
    best, score = None, 0
    for law in laws:
        if law.category != category:
            continue
        s = 2 * any(rx.search(sentence) for rx in law.regexes)
        if law.context:
            s += len({m.group(0) for m in law.context.finditer(sentence)})
        if s > score:
            best, score = law, s
    return best


def by_id(laws: tuple[Law, ...]) -> dict[str, Law]:
    return {law.id: law for law in laws}


__all__ = ["FILE", "Law", "RulesError", "by_id", "hits", "likely", "load", "parse"]
