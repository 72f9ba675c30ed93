"""Pre-screen a draft post against the guideline (issue: Check)."""

from bot.screening.model import Finding, Verdict


def check(text: str, account: str = "official") -> Verdict:
    """Screen ``text`` for an ``account`` ("official" or "private"). Placeholder until the Check issue lands."""
    return Verdict(verdict="ok", findings=[])


__all__ = ["Finding", "Verdict", "check"]
