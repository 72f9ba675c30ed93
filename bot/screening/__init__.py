"""Pre-screen a draft post against the guideline (issue: Check).

``check(text, account)`` runs every detector (bot.screening.detectors) over a normalized copy of the
draft, resolves overlaps so that each passage gets one finding naming the most specific clause (other
clauses go to ``related``), and maps offsets back to the original text. Rules are data in
knowledge/screening/ (bot.screening.rules). The draft is never stored or logged.
"""

from __future__ import annotations

import logging

from bot.screening.model import Finding, Verdict

log = logging.getLogger(__name__)

MAX_CHARS = 20_000
ACCOUNTS = ("official", "private")
_RANK = {"block": 0, "warn": 1, "info": 2}


def check(text: str, account: str = "official", *, model=None, threshold: float | dict | None = None) -> Verdict:
    """Screen ``text`` for an ``account`` ("official" or "private").

    ``model`` / ``threshold`` replace the learned layer's (measurement scripts; False turns it off)."""
    from bot.screening import detectors, laws
    from bot.screening.normalize import DraftText
    from bot.screening.rules import knowledge

    if account not in ACCOUNTS:
        raise ValueError(f"account must be one of {ACCOUNTS}")
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    kb = knowledge()
    if not text.strip() or not any(ch.isprintable() and not ch.isspace() for ch in text):
        return Verdict("ok", [], notice="下書きが空です。確認したい投稿の文章を入力してください。")
    notice = ""
    if len(text) > MAX_CHARS:
        notice = f"下書きが長いため、先頭の{MAX_CHARS:,}文字だけを確認しました。残りは分けて確認してください。"
        text = text[:MAX_CHARS]
    doc = DraftText(text)
    masked = detectors.masked(doc)
    hits = list(detectors.rules(doc, kb, masked))
    hits.extend(laws.hits(doc, kb.laws, masked))
    for det in detectors.DETECTORS:
        hits.extend(det(doc, kb))
    hits.extend(learned_hits(doc, masked, kb, hits, threshold, model, account))
    unavailable: list[str] = []
    findings = _resolve(doc, hits, kb, account, unavailable)
    if unavailable:
        notice = "\n".join(x for x in (notice, unavailable_notice(unavailable)) if x)
    verdict = "ok"
    if any(f.severity == "block" for f in findings):
        verdict = "block"
    elif any(f.severity == "warn" for f in findings):
        verdict = "warn"
    log.info("check: %d chars, %d findings, verdict %s", len(text), len(findings), verdict)
    return Verdict(verdict, findings, notice=notice)


def unavailable_notice(labels: list[str]) -> str:
    from bot.knowledge import current_pack

    pack = current_pack()
    return (f"次の項目は、{pack.guideline_title}に対応する条項が（まだ）ないため確認していません: "
            f"{'、'.join(dict.fromkeys(labels))}。判断に迷うときは{pack.general_affairs}にご相談ください。")


def learned_hits(doc, masked: str, kb, hits, threshold: float | dict | None = None, model=None,
                 account: str | None = None) -> list:
    """The learned layer's hits: sentences the rules and detectors left alone, scored at or above the
    threshold (``threshold``: one value or one per category; default learned.toml's, chosen by LOBO)."""
    own = kb.learned_threshold
    if account == "private" and kb.learned_private_threshold is not None:
        own = kb.learned_private_threshold  # private posts: their own value (learned.toml private_threshold)
    if threshold is None:
        by_cat, default = kb.learned_thresholds, own
    elif isinstance(threshold, dict):
        by_cat, default = threshold, own
    else:
        by_cat, default = {}, threshold
    floor = min([default, *by_cat.values()])
    return [h for h, score in learned_candidates(doc, masked, kb, hits, model, floor=floor, account=account)
            if score >= by_cat.get(h.category, default)]


def learned_candidates(doc, masked: str, kb, hits, model=None, *, floor: float = 0.0,
                       dense_weight: float | None = None, embed=None, account: str | None = None) -> list:
    """(Hit, score) for each sentence the rules and detectors left alone, whatever its score (a sentence
    whose score cannot reach ``floor`` is not embedded and gets a lower bound; bot.screening.learned).

    Never a 6(2) category in a sentence holding the town's own published contacts (contacts.toml). A hit
    names the law (laws.toml) its sentence most likely touches, when a law's words or context are there."""
    from bot.screening import detectors, laws, learned
    from bot.screening.rules import knowledge_folder

    if model is False:
        return []
    m = model or learned.model(knowledge_folder(), set(kb.categories), kb.examples_key)
    if m is None:
        return []
    # a sentence the rules or detectors already judged is theirs, but a name (learned.SHARES_SENTENCE)
    # leaves it to the learned layer for a stronger finding: a candidate's name does not make a campaign
    # post a privacy matter only
    taken = {doc.sentence_index(h.start) for h in hits if h.category not in learned.SHARES_SENTENCE}
    private = account == "private"

    def rank(h) -> int:
        cat = kb.categories[h.category]
        return _RANK[h.severity or (cat.private_severity if private else cat.severity)]

    detected: dict[int, int] = {}  # sentence -> strongest detector severity there
    for h in hits:
        if h.category in learned.SHARES_SENTENCE:
            k = doc.sentence_index(h.start)
            detected[k] = min(detected.get(k, 9), rank(h))
    spans = detectors.own_contact_spans(doc, kb)
    own = {doc.sentence_index(s) for s, _e in spans}
    # the learned layer reads the draft without the town's own contacts (a published number is no advert)
    text = masked
    if spans:
        chars = list(masked)
        for s, e in spans:
            chars[s:e] = " " * (e - s)
        text = "".join(chars)
    out = []
    weight = kb.learned_dense_weight if dense_weight is None else dense_weight
    for s, e, cat, score in learned.scored(m, text, weight, floor, embed):
        if cat not in kb.categories:
            continue
        k = doc.sentence_index(s)
        if k in taken or (k in detected and rank(detectors.Hit(cat, s, e)) >= detected[k]):
            continue
        if k in own and kb.categories[cat].clause == "6(2)":
            continue
        while e > s and doc.norm[e - 1] in "\n ":
            e -= 1
        ps = doc.sentence(s - 1)[0] if s > 0 else s
        law = laws.likely(kb.laws, cat, masked[ps:e])
        out.append((detectors.Hit(cat, s, e, law=law.id if law else ""), score))
    return out


def _resolve(doc, hits, kb, account: str, unavailable: list[str] | None = None) -> list[Finding]:
    from bot.knowledge import current_pack

    pack = current_pack()
    private = account == "private"
    cats = kb.categories
    if unavailable is None:
        unavailable = []
    usable = []
    for h in hits:
        cat = cats[h.category]
        if h.account != "both" and h.account != account:
            continue
        if private and not cat.private_clause:
            continue
        usable.append(h)
    # a category yields to others in the same sentence (e.g. "デマです" is a denial, not a rumour)
    by_sentence: dict[int, set[str]] = {}
    for h in usable:
        by_sentence.setdefault(doc.sentence_index(h.start), set()).add(h.category)
    usable = [h for h in usable if not (set(cats[h.category].suppressed_by) & by_sentence[doc.sentence_index(h.start)])]

    def severity(h) -> str:
        cat = cats[h.category]
        return h.severity or (cat.private_severity if private else cat.severity)

    # strongest first; then one raised through a law (it names the law); then the category's priority; then longest
    ordered = sorted(usable, key=lambda h: (_RANK[severity(h)], not h.law, cats[h.category].priority, h.start - h.end))
    kept: list[dict] = []
    for h in ordered:
        cat = cats[h.category]
        # the pack's clause ids, as this guideline numbers them (a pack made by `index` maps them)
        clause = pack.resolve(cat.private_clause if private else cat.clause)
        if clause is None:
            unavailable.append(cat.label)
            continue
        related = [r for r in (pack.resolve(x) for x in (cat.private_related if private else cat.related)) if r]
        merged = False
        for k in kept:
            if h.start < k["end"] and k["start"] < h.end:  # overlapping passage: one finding only
                if clause != k["clause"] and clause not in k["related"]:
                    k["related"].append(clause)
                if k["category"] == h.category:
                    k["start"], k["end"] = min(k["start"], h.start), max(k["end"], h.end)
                    k["law"] = k["law"] or h.law
                merged = True
                break
        if not merged:
            kept.append(dict(category=h.category, start=h.start, end=h.end, severity=severity(h), clause=clause, related=related, law=h.law))
    out = []
    by_law = {law.id: law for law in kb.laws}
    for k in kept:
        cat = cats[k["category"]]
        law = by_law.get(k["law"])
        start, end = doc.span(k["start"], k["end"])
        excerpt = doc.text[start:end]
        # trim surrounding whitespace from the excerpt, keeping text[start:end] == excerpt
        lead = len(excerpt) - len(excerpt.lstrip())
        trail = len(excerpt) - len(excerpt.rstrip())
        start, end = start + lead, end - trail
        if end <= start:
            continue
        related = [r for r in dict.fromkeys(k["related"]) if r != k["clause"]]
        out.append(Finding(
            clause=k["clause"], category=k["category"], severity=k["severity"], start=start, end=end,
            excerpt=doc.text[start:end], message=law.message if law else cat.message,
            suggestion=law.suggestion if law else cat.suggestion, related=related,
        ))
    out.sort(key=lambda f: (f.start, f.end))
    return out


def prepare() -> None:
    """Load the screening knowledge and the learned layer now (trained once per examples' hash, kept in
    BOT_DB): serve and index call this so that no request waits for training."""
    from bot.screening import learned
    from bot.screening.rules import knowledge, knowledge_folder

    kb = knowledge()
    learned.model(knowledge_folder(), set(kb.categories), kb.examples_key)


def category_label(name: str) -> str:
    from bot.screening.rules import knowledge

    cat = knowledge().categories.get(name)
    return cat.label if cat else name


__all__ = ["Finding", "Verdict", "check", "category_label", "prepare"]
