"""Question → Answer: rank clauses (BM25F over clause fields with synonyms) and refuse out-of-scope questions."""

from __future__ import annotations

from bot.search.index import K1, B, current_index
from bot.search.model import Answer, ScoredClause
from bot.text import strip_controls

MAX_QUESTION_CHARS = 1000
MIN_CLAUSES = 3
MAX_CLAUSES = 5
# Calibrated on the dev questions: below this the guideline does not cover the question.
NO_ANSWER_SCORE = 4.0

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


def ask(question: str) -> Answer:
    q, notice = clean_question(question)
    if notice:
        return Answer(question=question or "", answered=False, notice=notice)
    idx = current_index()
    terms = idx.analyzer.terms(q)
    known = [t for t in dict.fromkeys(terms) if t in idx.idf]
    if not known:
        return Answer(question=question, answered=False, notice=NOT_COVERED)
    scored = []
    for d in idx.docs:
        s = 0.0
        norm = K1 * (1 - B + B * d.length / idx.avg_len)
        for t in known:
            tf = d.tf.get(t)
            if tf:
                s += idx.idf[t] * tf * (K1 + 1) / (tf + norm)
        if s > 0:
            scored.append(ScoredClause(d.clause, s))
    scored.sort(key=lambda c: (-c.score, c.clause.order))
    top = scored[:MAX_CLAUSES]
    if not top or top[0].score < NO_ANSWER_SCORE:
        return Answer(question=question, answered=False, notice=NOT_COVERED)
    return Answer(question=question, answered=True, clauses=top)
