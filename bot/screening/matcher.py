"""The matching shared by the term/pattern rules and the laws: a Hit, the masked text the rules read, and
one rule's hits in a draft (terms/patterns, ``near`` context, ``unless`` cancelling words).

Kept apart from the detectors so that loading the rules (which checks each rule's examples) needs nothing
but this module and the normalized text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.screening.normalize import EMAIL_RE, URL_RE, DraftText


@dataclass(frozen=True)
class Hit:
    category: str
    start: int  # normalized offsets
    end: int
    severity: str | None = None  # None: the category's default
    account: str = "both"
    law: str = ""  # the id of the law (laws.toml) this hit was raised through, if any


def near(pattern: re.Pattern | None, text: str) -> bool:
    return bool(pattern and pattern.search(text))


def masked(doc: DraftText) -> str:
    """The normalized text with URLs and e-mail addresses blanked out (same length)."""
    chars = list(doc.norm)
    for rx in (URL_RE, EMAIL_RE):
        if rx is EMAIL_RE and "@" not in doc.norm:
            continue
        for m in rx.finditer(doc.norm):
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def rule_hits(rule, doc: DraftText, text: str) -> Iterator[Hit]:
    """Hits of one rule (anything with ``regexes``, ``near``, ``unless``, ``category``, ``severity``,
    ``account``) in the (masked) normalized text of ``doc``."""
    for m in (m for rx in rule.regexes for m in rx.finditer(text)):
        if m.end() <= m.start():
            continue
        own, e = doc.sentence(m.start())
        # context may sit in the sentence before: "〇〇さんで決まり！みんなで応援しよう！", "投票所が変わります。…投票してください"
        s = doc.sentence(own - 1)[0] if own > 0 else own
        sentence = text[s:e]
        # a cancelling word may also follow: "事実と違う内容がありました。お詫びして訂正します。"
        if rule.unless and rule.unless.search(text, s, doc.sentence(e)[1] if e < len(text) else e):
            continue
        start, end = m.start(), m.end()
        if rule.near:
            found = [(s + n.start(), s + n.end()) for n in rule.near.finditer(sentence)]
            if not found:
                continue
            # cover the nearest context word of the same sentence too, so the excerpt shows why
            ns, ne = min(found, key=lambda n: abs(n[0] - start))
            if ns >= own:
                start, end = min(start, ns), max(end, ne)
        yield Hit(rule.category, start, end, rule.severity, rule.account)


def rule_catches(rule, text: str) -> bool:
    """Whether one rule alone finds something in ``text`` (a rule's examples / not-examples)."""
    doc = DraftText(text)
    return any(True for _ in rule_hits(rule, doc, masked(doc)))
