from __future__ import annotations

from dataclasses import dataclass, field

from bot.guideline import Clause


@dataclass(frozen=True)
class ScoredClause:
    clause: Clause
    score: float
    summary: str = ""  # one plain sentence from knowledge/clause_summaries.tsv, shown above the quote

    def to_dict(self) -> dict:
        c = self.clause
        d = {"id": c.id, "title": c.title, "text": c.text, "score": round(self.score, 4)}
        if self.summary:
            d["summary"] = self.summary
        return d


@dataclass
class Answer:
    """Question → Answer. ``answered`` is False when the guideline does not cover the question
    (``not_covered``) or the question cannot be searched as given (empty, too long); ``notice`` then says
    why, in polite Japanese."""

    question: str
    answered: bool
    clauses: list[ScoredClause] = field(default_factory=list)
    notice: str = ""
    not_covered: bool = False
    confidence: float = 0.0  # the not-covered decision's probability that the guideline answers it
    low_confidence: bool = False  # answered, but 総務課 should be offered (「総務課に聞く」)

    @property
    def bad_input(self) -> bool:
        return not self.answered and not self.not_covered

    @property
    def best(self) -> list[ScoredClause]:
        """The clauses to quote: those that cleared the confidence margin (1–3), best first."""
        return list(self.clauses) if self.answered else []

    @property
    def related(self) -> list[ScoredClause]:
        return []

    @property
    def offer_soumu(self) -> bool:
        """Not covered, or answered with low confidence: offer to ask 総務課."""
        return self.not_covered or (self.answered and self.low_confidence)

    def to_dict(self) -> dict:
        d = {"question": self.question, "answered": self.answered, "clauses": [c.to_dict() for c in self.clauses]}
        if self.notice:
            d["notice"] = self.notice
        return d
