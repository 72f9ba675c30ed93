"""Is a message a report (impersonation / flaming / negative mention) or a question for Ask?

A message is a report when it names a kind of trouble (words from knowledge/report_types.toml, matched on
Sudachi normalized forms so 成りすまし/なりすまし and 見つけ/見付け agree) *and* says that something was
found or exists (「見つけました」「あります」「炎上しています」) or carries a link to the post. The same words
in a hypothetical or a question (「見つけたらどうすれば」「なりすましって何ですか」「ありますか」) leave it to
Ask. A link alone, or a link with 「見つけました」, is reported as a notable post about the town (5(3)).

The type follows who posted what: words of trouble about the town's own post (「町の公式Xの投稿に批判が
殺到」) are 炎上 (7(2)); the same words about someone else's thread (「5chの浦臼スレで町のごみ処理が叩かれて
る」) are a negative post by others (5(3)) — a type's ``if_others`` in the knowledge file, with [whose].
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.incidents import types as report_types
from bot.incidents.model import Report
from bot.incidents.terms import _key, _meaningful, term_keys
from bot.incidents.urls import report_urls
from bot.text import Token, nfkc, strip_controls, tokenize

MAX_CHARS = 4000  # a report is a short message; longer pastes are judged on their beginning

_CONDITIONAL_SURFACES = {"たら", "だら", "なら", "れば", "ば"}
_CONDITIONAL_NORMALIZED = {"場合", "時", "とき", "際", "なら"}
_INDICATIVE = {"た", "だ", "ます", "てる", "居る", "いる", "おる", "れる", "られる", "です", "しまう", "ちゃう", "けれど", "ので", "から", "よ", "ね"}
# Tokens that continue a noun or verb as a predicate: 炎上(し)て, 中傷(さ)れ, 騙っ(た).
_PREDICATE_NEXT = {"為る", "れる", "られる", "てる", "た", "て", "ます", "ちゃう", "居る", "しまう"}
# Nouns that turn a word of trouble into a state: 炎上気味です, 炎上中です.
_STATE_SUFFIX = {"気味", "中"}
_NEGATION = {"ない", "ず", "ぬ", "無い"}
_OWN_WINDOW = 4  # tokens after a subject word (町, 公式…) in which a media word (投稿, インスタ…) makes it the town's own


@dataclass(frozen=True)
class _Pattern:
    type: str
    term: str
    keys: tuple[str, ...]
    surface: str  # nfkc lower-cased, for a plain substring match as well


@lru_cache(maxsize=4)
def _patterns(knowledge: report_types.ReportKnowledge) -> tuple[_Pattern, ...]:
    out = []
    for t in knowledge.types:
        for term in t.terms:
            keys = term_keys(term)
            if keys:
                out.append(_Pattern(t.id, term, keys, nfkc(term).lower()))
    return tuple(out)


@dataclass(frozen=True)
class _Match:
    start: int  # character span in the analysed text
    end: int
    pattern: _Pattern
    first: int  # token index range (-1 for substring matches)
    last: int


def _matches(text: str, tokens: list[Token], patterns: tuple[_Pattern, ...]) -> list[_Match]:
    """Longest non-overlapping matches of the type words."""
    keys = [_key(t) for t in tokens]
    found: list[_Match] = []
    for p in patterns:
        n = len(p.keys)
        for i in range(len(tokens) - n + 1):
            if tuple(keys[i : i + n]) == p.keys:
                found.append(_Match(tokens[i].begin, tokens[i + n - 1].end, p, i, i + n - 1))
        lowered = text.lower()
        # Substring matches catch words Sudachi splits differently; a one-character word (偽) only
        # counts as a whole token, so 虚偽 does not read as 偽.
        start = lowered.find(p.surface) if len(p.surface) >= 2 else -1
        while start >= 0:
            end = start + len(p.surface)
            found.append(_Match(start, end, p, -1, -1))
            start = lowered.find(p.surface, end)
    found.sort(key=lambda m: (-(m.end - m.start), m.start, m.first < 0))
    chosen: list[_Match] = []
    for m in found:
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _stated(tokens: list[Token], i: int, own_actions: frozenset[str] = frozenset()) -> bool:
    """Is the word at ``i`` used as a statement (found / exists / is happening), not in a hypothetical
    (〜たら, 〜場合, 〜時), a question (〜ますか, 〜？) or a confession of one's own act (投稿してしまった)?"""
    seen_indicative = False
    passive = False
    own = _key(tokens[i]) in own_actions
    stop = None
    window = tokens[i + 1 : i + 9]
    for t in window:
        if _key(t) in ("れる", "られる"):
            passive = True
        if own and not passive and _key(t) in ("しまう", "ちゃう", "仕舞う"):
            return False
        if t.pos[0] in ("補助記号", "空白"):
            stop = t
            break
        if t.surface in _CONDITIONAL_SURFACES or _key(t) in _CONDITIONAL_NORMALIZED:
            return False
        if t.pos[0] == "助動詞" and _key(t) in _NEGATION:
            return False  # 炎上しないように…: not happening
        if t.pos[1] == "終助詞" and _key(t) in ("か", "かな", "かしら"):
            return False
        if _key(t) in _INDICATIVE or t.pos[1] == "助動詞語幹":  # ある(よう/みたい/そう)です: hedged, still stated
            seen_indicative = True
            continue
        if t.pos[1] == "接続助詞" and _key(t) not in ("て", "で"):
            return True  # 見つけたが… / あるけど… : the clause states it
        if t.pos[0] in ("名詞", "代名詞", "形状詞") or (t.pos[0] in ("動詞", "形容詞") and t.pos[1] != "非自立可能"):
            break  # the next content word: 見つけたアカウント…
    else:
        stop = None
    if stop is not None and stop.surface in ("?", "？"):
        return False
    if seen_indicative:
        return True
    # Plain sentence end (「偽アカウントがある」) counts as a statement.
    first = window[0] if window else None
    return first is None or first.pos[0] in ("補助記号", "空白")


def _hedged_aru(tokens: list[Token], i: int) -> bool:
    """Sudachi reads 「あるようです」「あるみたい」 as the adnominal 或る; it is 有る (exists) there."""
    return _key(tokens[i]) == "或る" and i + 1 < len(tokens) and tokens[i + 1].pos[1] == "助動詞語幹"


def _predicate_at(tokens: list[Token], m: _Match) -> int | None:
    """Index of the last token of a type word used as a predicate (炎上して / 中傷されて / 騙った)."""
    if m.last < 0 or m.last + 1 >= len(tokens):
        return m.last if m.last >= 0 and tokens[m.last].pos[0] == "動詞" else None
    nxt = _key(tokens[m.last + 1])
    if nxt in _PREDICATE_NEXT:
        return m.last
    if nxt in _STATE_SUFFIX and tokens[m.last].pos[0] == "名詞":
        return m.last + 1
    return m.last if tokens[m.last].pos[0] == "動詞" else None


def _seq_at(keys: list[str], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    return any(tuple(keys[i : i + n]) == seq for i in range(len(keys) - n + 1))


def about_own_post(tokens: list[Token], whose: report_types.Whose) -> bool | None:
    """True when the message names the town's own post or account (町のインスタ, 公式アカウントの告知), False
    when it names only someone else's (5chのスレ, 住民のブログ), None when it says neither."""
    keys = [_key(t) for t in tokens]
    for i, k in enumerate(keys):
        if k in whose.subjects and any(m in whose.media for m in keys[i + 1 : i + 1 + _OWN_WINDOW]):
            return True
        if k in whose.subjects and k in whose.media:  # a word that is both (公式アカウント as one token)
            return True
    if any(_seq_at(keys, seq) for seq in whose.others):
        return False
    return None


def classify(text: str, explicit: bool = False) -> Report | None:
    """The report in ``text``, or None when it is not one (a question: answer it with Ask).

    explicit: the user chose "report" (message shortcut); always returns a Report, typed by its words or,
    when none match, as a notable post about the town.
    """
    knowledge = report_types.load()
    urls, rest = report_urls(strip_controls(text or "")[:MAX_CHARS])
    rest = nfkc(rest)
    tokens = [t for t in tokenize(rest) if _meaningful(t)]
    matches = _matches(rest, tokens, _patterns(knowledge))
    order = [t.id for t in knowledge.types]
    counts = {tid: 0 for tid in order}
    for m in matches:
        counts[m.pattern.type] += 1
    best = max(order, key=lambda tid: (counts[tid], -order.index(tid)))
    typed = counts[best] > 0
    matched = tuple(m.pattern.term for m in matches if m.pattern.type == best) if typed else ()
    if typed and knowledge.get(best).if_others and about_own_post(tokens, knowledge.whose) is False:
        best = knowledge.get(best).if_others  # someone else's post under fire: not the town's to apologise for

    def report(type_id: str) -> Report:
        return Report(type=type_id, urls=tuple(urls), matched=matched)

    if explicit:
        return report(best if typed else knowledge.default.id)

    candidates = [i for i, t in enumerate(tokens) if _key(t) in knowledge.report_signals or _hedged_aru(tokens, i)]
    for m in matches:
        at = _predicate_at(tokens, m)
        if at is not None:
            candidates.append(at)
    stated = any(_stated(tokens, i, knowledge.own_actions) for i in sorted(set(candidates)))

    if typed:
        return report(best) if (urls or stated) else None
    if urls and (stated or not any(t.pos[0] in ("名詞", "動詞", "形容詞", "形状詞") for t in tokens)):
        return report(knowledge.default.id)
    return None
