"""The lexical signal of Ask: BM25F over clause fields with synonyms and the ranking priors
(bot.search.rank fuses it with the dense and nearest-example signals)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.search.index import K1, B

# Ranking priors (domain knowledge, not tuned to sentences):
# - a clause with children (7, 7(2), 8(1)…) is a signpost: prefer its numbered children;
# - questions are about work use unless they say otherwise, so section 8 (private use) is preferred
#   only when the question mentions private use (the synonym group listing 私的利用 in knowledge/synonyms.tsv);
# - words that set the scene of almost every question (the official account, posting, SNS, the service
#   named) count less than its topic; the last specific term is usually what is asked
#   (「…を書いたら処分される？」) and counts more.
# Synonym groups are named by a word they list (not by their key, which is the row's first word and
# changes when 総務課 reorders a row); a word no row lists is an error naming the file.
PARENT_FACTOR = 0.6
PRIVATE_SECTION = "8"
PRIVATE_WORD = "私的利用"  # a synonym group
PRIVATE_BOOST, WORK_DEFAULT = 1.25, 0.9
CONTEXT_GROUPS = {"アカウント": 0.55, "投稿": 0.7, "ソーシャルメディア": 0.7, "職員": 0.85, "ガイドライン": 0.55}
CONTEXT_GROUPS |= dict.fromkeys(("ツイッター", "フェイスブック", "インスタグラム", "ユーチューブ", "ライン"), 0.55)
CONTEXT_WORDS = {"公式": 0.55, "利用": 0.7}  # plain terms (「このルールは…」「…の利用」: the scene again)
FOCUS_WEIGHT = 1.3
# A term is specific when idf ≥ SPECIFIC_IDF; whether the question shares one, and how much of it the
# guideline's vocabulary covers (see _coverage), are features of the not-covered decision (bot.search.rank).
SPECIFIC_IDF = 1.5


@dataclass(frozen=True)
class Priors:
    private_term: str
    context_terms: dict[str, float]


_priors: dict[str, Priors] = {}


def priors(idx) -> Priors:
    """The priors' terms in the loaded synonyms (UserError naming the file when a group is missing)."""
    hit = _priors.get(idx.digest)
    if hit is None:
        syn = idx.analyzer.synonyms

        def group(word: str) -> str:
            key = syn.group_of(word)
            if key is None:
                raise UserError(f"{syn.source}: 検索の重み付けに使う語「{word}」がどの行にもありません。"
                                f"「{word}」を含む行を元に戻してください（行の中の語の順番は変えてもかまいません）。")
            return key

        context = {group(w): f for w, f in CONTEXT_GROUPS.items()} | dict(CONTEXT_WORDS)
        hit = _priors[idx.digest] = Priors(group(PRIVATE_WORD), context)
    return hit


def lexical(q: str, idx) -> tuple[np.ndarray, float, bool]:
    """BM25F scores of every clause (document order, priors applied), the question's coverage by the
    guideline's vocabulary (see _coverage) and whether it shares a specific term with the guideline."""
    prior = priors(idx)
    context_terms = prior.context_terms
    scores = np.zeros(len(idx.docs), dtype=np.float32)
    words = idx.analyzer.words(q)
    terms = list(dict.fromkeys(t for word_terms, _, _ in words for t in word_terms))
    known = [t for t in terms if t in idx.idf]
    # a short guideline (another town's, a few clauses) has low idf everywhere: the bar scales with it
    bar = min(SPECIFIC_IDF, 0.4 * idx.max_idf)
    specific = [t for t in known if idx.idf[t] >= bar and t not in context_terms]
    if not specific:
        return scores, _coverage(words, idx, context_terms), False
    private = prior.private_term in terms
    weight = {t: context_terms.get(t, 1.0) for t in known}
    weight[specific[-1]] *= FOCUS_WEIGHT
    for i, d in enumerate(idx.docs):
        s = 0.0
        topical = False
        norm = K1 * (1 - B + B * d.length / idx.avg_len)
        for t in known:
            tf = d.tf.get(t)
            if tf:
                s += weight[t] * idx.idf[t] * tf * (K1 + 1) / (tf + norm)
                topical = topical or t not in context_terms
        if not topical:
            continue  # scene words alone (公式, アカウント, SNS…) do not make a clause relevant
        c = d.clause
        if c.id in idx.parents:
            s *= PARENT_FACTOR
        if c.section == PRIVATE_SECTION:
            s *= PRIVATE_BOOST if private else WORK_DEFAULT
        scores[i] = s
    return scores, _coverage(words, idx, context_terms), True


def _coverage(words, idx, context_terms: dict[str, float]) -> float:
    """How much of the question the guideline speaks to: weight of known words against unknown nouns.
    Unknown verbs and adverbs (拾う, ちょっと) are everyday phrasing; unknown nouns (年末調整, 公用車) are topics;
    a compound known only by a part (コピー機, 住民票) counts half each way."""
    known = unknown = 0.0
    for word_terms, is_noun, compound in words:
        found = [t for t in word_terms if t in idx.idf]
        share = 0.5 if compound and found and word_terms[0] not in idx.idf else 1.0
        if found:
            known += share * max(idx.idf[t] * context_terms.get(t, 1.0) for t in found)
        if is_noun and (not found or share < 1.0):
            unknown += share * idx.max_idf
    return known / max(1e-9, known + unknown)
