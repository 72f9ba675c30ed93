"""Question → Answer. The lexical signal (BM25F over clause fields with synonyms and priors) is in
bot.search.lexical; bot.search.rank fuses it with the dense and nearest-example signals and makes the not-covered decision."""

from __future__ import annotations

from bot.search.index import current_index
from bot.search.lexical import lexical, priors  # noqa: F401 - re-exported: the lexical signal
from bot.search.model import Answer, ScoredClause
from bot.text import strip_controls
from bot.wording import line

MAX_QUESTION_CHARS = 1000

NOT_COVERED = line("ask", "not_covered")


def clean_question(question: str) -> tuple[str, str]:
    """(cleaned question, notice). A non-empty notice means the question cannot be searched as given."""
    q = strip_controls(question or "").strip()
    if not q:
        return "", "質問が空です。ガイドラインについて知りたいことを文章で入力してください（例: 勤務中にSNSを見てもいいですか）。"
    if len(q) > MAX_QUESTION_CHARS:
        return "", f"質問が長すぎます（{len(q):,}文字）。{MAX_QUESTION_CHARS}文字以内で、知りたいことを短くまとめて入力してください。"
    return q, ""


def ask(question: str) -> Answer:
    """Question → Answer: lexical, dense and nearest-example signals fused; the not-covered decision is
    the calibrated classifier of bot.search.rank; only clauses within the confidence margin are shown."""
    from bot.search.semantic import current, decide

    q, notice = clean_question(question)
    if notice:
        return Answer(question=question or "", answered=False, notice=notice)
    idx = current_index()
    sem = current(idx)
    decision = decide(q, idx, sem)
    if not decision.answered:
        return Answer(question=question, answered=False, notice=NOT_COVERED, not_covered=True,
                      confidence=decision.confidence)
    summaries = sem.summaries
    clauses = [ScoredClause(idx.docs[i].clause, float(s), summaries.get(idx.docs[i].clause.id, ""))
               for i, s in decision.shown]
    return Answer(question=question, answered=True, clauses=clauses, confidence=decision.confidence,
                  low_confidence=decision.low_confidence)

