"""Question → Answer. The lexical signal (BM25F over clause fields with synonyms and priors) lives here;
bot.search.rank fuses it with the dense and nearest-example signals and makes the not-covered decision."""

from __future__ import annotations

import numpy as np

from bot.search.index import K1, B, current_index
from bot.search.model import Answer, ScoredClause
from bot.text import strip_controls

MAX_QUESTION_CHARS = 1000

NOT_COVERED = (
    "申し訳ありません。このご質問はソーシャルメディア活用ガイドラインには定めがないようです。"
    "総務課にお問い合わせください。"
)


def clean_question(question: str) -> tuple[str, str]:
    """(cleaned question, notice). A non-empty notice means the question cannot be searched as given."""
    q = strip_controls(question or "").strip()
    if not q:
        return "", "質問が空です。ガイドラインについて知りたいことを文章で入力してください（例: 勤務中にSNSを見てもいいですか）。"
    if len(q) > MAX_QUESTION_CHARS:
        return "", f"質問が長すぎます（{len(q):,}文字）。{MAX_QUESTION_CHARS}文字以内で、知りたいことを短くまとめて入力してください。"
    return q, ""


# Ranking priors (domain knowledge, not tuned to sentences):
# - a clause with children (7, 7(2), 8(1)…) is a signpost: prefer its numbered children;
# - questions are about work use unless they say otherwise, so section 8 (private use) is preferred
#   only when the question mentions private use (the synonym group of 私的利用 in knowledge/synonyms.tsv);
# - words that set the scene of almost every question (the official account, posting, SNS, the service
#   named) count less than its topic; the last specific term is usually what is asked
#   (「…を書いたら処分される？」) and counts more.
PARENT_FACTOR = 0.6
PRIVATE_SECTION = "8"
PRIVATE_TERM = "≡私的利用"
PRIVATE_BOOST, WORK_DEFAULT = 1.25, 0.9
CONTEXT_TERMS = {"公式": 0.55, "≡アカウント": 0.55, "≡投稿": 0.7, "≡ソーシャルメディア": 0.7, "≡職員": 0.85}
CONTEXT_TERMS |= dict.fromkeys(("≡ツイッター", "≡フェイスブック", "≡インスタグラム", "≡ユーチューブ", "≡ライン"), 0.55)
CONTEXT_TERMS |= {"≡ガイドライン": 0.55, "利用": 0.7}  # 「このルールは…」「…の利用」: the scene again
FOCUS_WEIGHT = 1.3
# A term is specific when idf ≥ SPECIFIC_IDF; whether the question shares one, and how much of it the
# guideline's vocabulary covers (see _coverage), are features of the not-covered decision (bot.search.rank).
SPECIFIC_IDF = 1.5


def lexical(q: str, idx) -> tuple[np.ndarray, float, bool]:
    """BM25F scores of every clause (document order, priors applied), the question's coverage by the
    guideline's vocabulary (see _coverage) and whether it shares a specific term with the guideline."""
    scores = np.zeros(len(idx.docs), dtype=np.float32)
    words = idx.analyzer.words(q)
    terms = list(dict.fromkeys(t for word_terms, _, _ in words for t in word_terms))
    known = [t for t in terms if t in idx.idf]
    specific = [t for t in known if idx.idf[t] >= SPECIFIC_IDF and t not in CONTEXT_TERMS]
    if not specific:
        return scores, _coverage(words, idx), False
    private = PRIVATE_TERM in terms
    weight = {t: CONTEXT_TERMS.get(t, 1.0) for t in known}
    weight[specific[-1]] *= FOCUS_WEIGHT
    for i, d in enumerate(idx.docs):
        s = 0.0
        topical = False
        norm = K1 * (1 - B + B * d.length / idx.avg_len)
        for t in known:
            tf = d.tf.get(t)
            if tf:
                s += weight[t] * idx.idf[t] * tf * (K1 + 1) / (tf + norm)
                topical = topical or t not in CONTEXT_TERMS
        if not topical:
            continue  # scene words alone (公式, アカウント, SNS…) do not make a clause relevant
        c = d.clause
        if c.id in idx.parents:
            s *= PARENT_FACTOR
        if c.section == PRIVATE_SECTION:
            s *= PRIVATE_BOOST if private else WORK_DEFAULT
        scores[i] = s
    return scores, _coverage(words, idx), True


def ask(question: str) -> Answer:
    """Question → Answer: lexical, dense and nearest-example signals fused; the not-covered decision is
    the calibrated classifier of bot.search.rank; only clauses within the confidence margin are shown."""
    from bot.search.semantic import current, decide

    q, notice = clean_question(question)
    if notice:
        return Answer(question=question or "", answered=False, notice=notice)
    idx = current_index()
    decision = decide(q, idx)
    if not decision.answered:
        return Answer(question=question, answered=False, notice=NOT_COVERED, not_covered=True,
                      confidence=decision.confidence)
    summaries = current(idx).summaries
    clauses = [ScoredClause(idx.docs[i].clause, float(s), summaries.get(idx.docs[i].clause.id, ""))
               for i, s in decision.shown]
    return Answer(question=question, answered=True, clauses=clauses, confidence=decision.confidence,
                  low_confidence=decision.low_confidence)


def _coverage(words, idx) -> float:
    """How much of the question the guideline speaks to: weight of known words against unknown nouns.
    Unknown verbs and adverbs (拾う, ちょっと) are everyday phrasing; unknown nouns (年末調整, 公用車) are topics;
    a compound known only by a part (コピー機, 住民票) counts half each way."""
    known = unknown = 0.0
    for word_terms, is_noun, compound in words:
        found = [t for t in word_terms if t in idx.idf]
        share = 0.5 if compound and found and word_terms[0] not in idx.idf else 1.0
        if found:
            known += share * max(idx.idf[t] * CONTEXT_TERMS.get(t, 1.0) for t in found)
        if is_noun and (not found or share < 1.0):
            unknown += share * idx.max_idf
    return known / max(1e-9, known + unknown)
