from __future__ import annotations

from dataclasses import dataclass, field

from bot.guideline import Clause


@dataclass(frozen=True)
class ScoredClause:
    clause: Clause
    score: float

    def to_dict(self) -> dict:
        c = self.clause
        return {"id": c.id, "title": c.title, "text": c.text, "score": round(self.score, 4)}


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

    @property
    def bad_input(self) -> bool:
        return not self.answered and not self.not_covered

    @property
    def best(self) -> list[ScoredClause]:
        """The clause(s) to quote: the top one plus any scoring almost as high."""
        if not self.answered or not self.clauses:
            return []
        top = self.clauses[0].score
        return [c for c in self.clauses[:3] if c.score >= top * 0.85]

    @property
    def related(self) -> list[ScoredClause]:
        best = self.best
        return [c for c in self.clauses if c not in best]

    def to_dict(self) -> dict:
        d = {"question": self.question, "answered": self.answered, "clauses": [c.to_dict() for c in self.clauses]}
        if self.notice:
            d["notice"] = self.notice
        return d
