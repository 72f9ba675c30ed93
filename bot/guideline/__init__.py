"""The guideline as data: Clauses with canonical ids, parsed from text in the published style."""

from bot.guideline.model import Clause, Guideline
from bot.guideline.parse import GuidelineFormatError, parse_guideline

__all__ = ["Clause", "Guideline", "GuidelineFormatError", "parse_guideline"]
