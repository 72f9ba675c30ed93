"""Ask: find the clauses that answer a question about the guideline."""

from bot.search.ask import ask
from bot.search.model import Answer, ScoredClause

__all__ = ["Answer", "ScoredClause", "ask"]
