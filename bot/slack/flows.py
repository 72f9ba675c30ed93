"""Glue shared by several listeners: call the core, log what must be logged, build blocks.
No Slack API calls here (listeners send), so these are easy to test."""

from __future__ import annotations

import logging

from bot.feedback import log_unanswered
from bot.screening import Verdict, check
from bot.search import Answer, ask
from bot.slack.blocks.ask import answer_blocks
from bot.slack.blocks.check import check_blocks
from bot.slack.text import to_plain
from bot.slack.wording import say

log = logging.getLogger(__name__)


def answer(question_text: str, user: str, source: str) -> tuple[Answer, list]:
    """Answer a question (Slack-formatted text); log it when the guideline does not cover it."""
    question = to_plain(question_text).strip()
    result = ask(question)
    log.debug("ask from %s via %s: answered=%s, clauses %s", user, source, result.answered,
              [sc.clause.id for sc in result.clauses])
    if result.not_covered:
        log_unanswered(question, user=user, source=source)
    return result, answer_blocks(result, question)


def answer_text(result: Answer) -> str:
    return say("ask.j2", "notification", answered=result.answered)


def clause_titles(ids) -> dict[str, str]:
    """Section title (+ heading) for clause ids, from the active guideline."""
    from bot.search.index import current_index

    guideline = current_index().guideline
    out = {}
    for cid in ids:
        c = guideline.get(cid) or guideline.get(cid.split("(")[0])
        if c:
            out[cid] = c.title + (f"　{c.heading}" if c.heading and c.heading != c.text and c.id == cid else "")
    return out


def check_draft(draft_text: str, account: str, *, slack_formatted: bool, shortcut: bool = False,
                max_blocks: int | None = None) -> tuple[Verdict, list]:
    """Check a draft. The draft stays in memory: it is not stored or logged."""
    draft = to_plain(draft_text) if slack_formatted else (draft_text or "")
    verdict = check(draft, account=account)
    log.debug("check (%s): %s, %d finding(s)", account, verdict.verdict, len(verdict.findings))
    titles = clause_titles({f.clause for f in verdict.findings})
    return verdict, check_blocks(verdict, draft, account, titles, shortcut=shortcut, max_blocks=max_blocks)


def check_text(verdict: Verdict) -> str:
    return say("check.j2", "notification", verdict=verdict.verdict)
