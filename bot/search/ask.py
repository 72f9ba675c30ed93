"""Question → Answer: rank clauses (BM25F over clause fields with synonyms) and refuse out-of-scope questions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import UserError
from bot.search.index import K1, B, current_index
from bot.search.model import Answer, ScoredClause
from bot.text import strip_controls
from bot.wording import line

MAX_QUESTION_CHARS = 1000
MIN_CLAUSES = 3
MAX_CLAUSES = 5

NOT_COVERED = line("ask", "not_covered")


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
# Out of scope: the question must share a specific term with the guideline (idf ≥ SPECIFIC_IDF), its
# words must be mostly known to the guideline (see _coverage), and the best clause must score enough.
SPECIFIC_IDF = 1.5
MIN_COVERAGE = 0.28
MIN_TOP_SCORE = 2.0


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


def ask(question: str) -> Answer:
    q, notice = clean_question(question)
    if notice:
        return Answer(question=question or "", answered=False, notice=notice)
    idx = current_index()
    prior = priors(idx)
    context_terms = prior.context_terms
    words = idx.analyzer.words(q)
    terms = list(dict.fromkeys(t for word_terms, _, _ in words for t in word_terms))
    known = [t for t in terms if t in idx.idf]
    specific = [t for t in known if idx.idf[t] >= SPECIFIC_IDF and t not in context_terms]
    if not specific or _coverage(words, idx, context_terms) < MIN_COVERAGE:
        return Answer(question=question, answered=False, notice=NOT_COVERED, not_covered=True)
    private = prior.private_term in terms
    weight = {t: context_terms.get(t, 1.0) for t in known}
    weight[specific[-1]] *= FOCUS_WEIGHT
    scored = []
    for d in idx.docs:
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
        scored.append(ScoredClause(c, s))
    scored.sort(key=lambda c: (-c.score, c.clause.order))
    top = scored[:MAX_CLAUSES]
    if not top or top[0].score < MIN_TOP_SCORE:
        return Answer(question=question, answered=False, notice=NOT_COVERED, not_covered=True)
    return Answer(question=question, answered=True, clauses=_with_neighbours(top, idx))


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


def _with_neighbours(top: list[ScoredClause], idx) -> list[ScoredClause]:
    """At least MIN_CLAUSES: when few clauses matched, add the best one's nearest siblings, then its parent
    (score 0)."""
    if len(top) >= MIN_CLAUSES:
        return top
    best = top[0].clause
    have = {sc.clause.id for sc in top}
    near = sorted(idx.guideline.clauses, key=lambda c: abs(c.order - best.order))
    family = [c for c in near if c.parent == best.parent and c.id != best.id]  # nearest siblings first
    family += [c for c in near if c.id == best.parent]
    family += near  # last resort: nearest in document order
    for c in family:
        if len(top) >= MIN_CLAUSES:
            break
        if c.id not in have:
            have.add(c.id)
            top.append(ScoredClause(c, 0.0))
    return top
