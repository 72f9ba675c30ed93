"""Glue shared by several listeners: call the core, log what must be logged, build blocks.
No Slack API calls here (listeners send), so these are easy to test."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from bot import config, screening, store
from bot.feedback import log_unanswered
from bot.screening import Verdict, check
from bot.search import Answer, ask, intent
from bot.slack.blocks import ask as abk
from bot.slack.blocks.ask import answer_blocks
from bot.slack.blocks.check import check_again_blocks, check_blocks, notice_blocks
from bot.slack.text import to_plain
from bot.slack.wording import say

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotAQuestion:
    """A greeting, a request for help, or a draft: answered with help or an offer to check, never logged."""

    kind: str
    answered: bool = False
    not_covered: bool = False


def answer(question_text: str, user: str, source: str, log_now: bool = True) -> tuple[Answer | NotAQuestion, list]:
    """Answer a question (Slack-formatted text); log it when the guideline does not cover it. Greetings
    and 「使い方」 get the help reply; a draft (in a DM: with a button to check it) is neither searched nor
    logged. ``log_now=False``: the caller sends the answer first, then calls ``note_unanswered``."""
    question = to_plain(question_text).strip()
    kind = intent.classify(question)
    if kind in (intent.GREETING, intent.HELP):
        return NotAQuestion(kind), abk.help_blocks()
    if kind == intent.DRAFT:
        return NotAQuestion(kind), abk.draft_offer_blocks(question if source == "dm" else None)
    result = ask(question)
    log.debug("ask via %s: answered=%s, clauses %s", source, result.answered, [sc.clause.id for sc in result.clauses])
    if log_now:
        note_unanswered(result, question_text, user, source)
    return result, answer_blocks(result, question, soumu=bool(config.soumu_channel()))


def note_unanswered(result: Answer | NotAQuestion, question_text: str, user: str, source: str) -> None:
    """Best effort, after the answer was sent: the unanswered log for 総務課 (the question only, no user).
    A busy or broken database loses this line (logged), never the answer."""
    if not result.not_covered:  # NotAQuestion (greeting, help, draft) is never not_covered: never logged
        return
    try:
        with store.busy_timeout(config.delivery().ack_busy_s):
            log_unanswered(to_plain(question_text).strip(), source=source)
    except Exception as err:  # noqa: BLE001 - best effort by design
        log.warning("unanswered question not logged: %s", type(err).__name__)


def answer_text(result: Answer | NotAQuestion) -> str:
    return say("ask.j2", "notification", answered=result.answered, kind=getattr(result, "kind", "question"))


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


HUGE_CHARS = 40_000  # Slack's own message limit: a longer draft gets one polite line, nothing is checked
_SENTENCE = re.compile(r"[^。．！？!?\n]*[^。．！？!?\n\s][^。．！？!?\n]*")
_ACCOUNT_PREFIX = re.compile(r"^\s*(?:(私的|私用|個人|プライベート|private)|(公式|official))(?:な?アカウント)?(?:で)?(?:[\s:：、,]+|$)",
                             re.IGNORECASE)


@dataclass(frozen=True)
class CheckReply:
    """What a Check shows: ``verdict`` None means nothing was checked (empty or too long input) and
    ``blocks`` say so in one polite line. ``metadata`` is a result view's private_metadata (the draft,
    when it is too long for the re-check button; memory and Slack only)."""

    verdict: Verdict | None
    blocks: list
    text: str
    metadata: str = ""


def split_account(text: str) -> tuple[str | None, str]:
    """`/sns-check 私的 下書き` → ("private", "下書き"); `公式 …` → "official"; no prefix → (None, text)."""
    m = _ACCOUNT_PREFIX.match(text or "")
    if not m:
        return None, text or ""
    return ("private" if m.group(1) else "official"), text[m.end():]


def prepare_draft(text: str, *, slack_formatted: bool) -> str:
    """The text to check: Slack's escapes undone, line ends unified, the BOM and other invisible control
    characters (not newline/tab) dropped. Everything a reader sees is kept, emoji included."""
    draft = to_plain(text) if slack_formatted else (text or "")
    draft = draft.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return "".join(ch for ch in draft if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def has_text(draft: str) -> bool:
    return any(ch.isprintable() and not ch.isspace() for ch in draft or "")


def draft_size(draft: str) -> tuple[int, int]:
    """(characters, sentences) of the part the core checks (it reads up to its MAX_CHARS)."""
    checked = draft[: getattr(screening, "MAX_CHARS", len(draft))].strip()
    return len(checked), len(_SENTENCE.findall(checked))


def check_reply(draft_text: str, account: str, *, slack_formatted: bool, shortcut: bool = False,
                in_view: bool = False, max_blocks: int | None = None) -> CheckReply:
    """Check a draft for Slack: the result blocks with what was checked and the re-check button, or one
    polite line when there is nothing to check. The draft stays in memory: it is not stored or logged."""
    draft = prepare_draft(draft_text, slack_formatted=slack_formatted)
    if not has_text(draft):
        msg = say("check.j2", "nothing_to_check")
        return CheckReply(None, notice_blocks(msg), msg)
    if len(draft) > HUGE_CHARS:
        msg = say("check.j2", "too_long", chars=len(draft), limit=getattr(screening, "MAX_CHARS", HUGE_CHARS))
        return CheckReply(None, notice_blocks(msg), msg)
    verdict = check(draft, account=account)
    log.debug("check (%s): %s, %d finding(s)", account, verdict.verdict, len(verdict.findings))
    titles = clause_titles({f.clause for f in verdict.findings})
    again, metadata = check_again_blocks(account, draft, in_view=in_view)
    blocks = check_blocks(verdict, draft, account, titles, shortcut=shortcut, max_blocks=max_blocks,
                          size=draft_size(draft), again=again)
    return CheckReply(verdict, blocks, check_text(verdict), metadata)


def check_draft(draft_text: str, account: str, *, slack_formatted: bool, shortcut: bool = False,
                max_blocks: int | None = None) -> tuple[Verdict | None, list]:
    """(verdict, blocks) of ``check_reply`` for a message."""
    reply = check_reply(draft_text, account, slack_formatted=slack_formatted, shortcut=shortcut, max_blocks=max_blocks)
    return reply.verdict, reply.blocks


def check_text(verdict: Verdict) -> str:
    return say("check.j2", "notification", verdict=verdict.verdict)
