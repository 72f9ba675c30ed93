from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Clause:
    """One numbered unit of the guideline.

    id:      canonical id: 前文, 1, 2(3), 4(2)①, 8(3)②ア, 9, 附則
    title:   the section title (e.g. 禁止事項), so an answer can be understood alone
    heading: the clause's own heading when it has one (e.g. 匿名性の低さ), else ""
    text:    the clause text verbatim (paragraphs joined by newlines); for a heading-only clause, the heading
    parent:  id of the enclosing clause ("" for top level)
    parent_text: the enclosing clause's heading or text, for context
    """

    id: str
    title: str
    heading: str
    text: str
    parent: str = ""
    parent_text: str = ""
    order: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def section(self) -> str:
        """Top-level id: '8' for 8(3)②ア, '前文' for 前文."""
        return self.id.split("(")[0]


@dataclass
class Guideline:
    name: str
    clauses: list[Clause] = field(default_factory=list)

    def get(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def ids(self) -> list[str]:
        return [c.id for c in self.clauses]

    def children(self, clause_id: str) -> list[Clause]:
        return [c for c in self.clauses if c.parent == clause_id]
