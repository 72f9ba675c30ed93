"""Block Kit built from core results (Answer, Verdict) with slack_sdk's models.

Slack's limits are respected here, never by cutting text silently:
- section text ≤ 3,000 characters: long clause text is split across several sections;
- ≤ 50 blocks per message: ``paginate`` splits a long reply into several messages;
- ≤ 100 blocks per view: a result that does not fit says how many findings were left out;
- button value ≤ 2,000 characters;
- the question repeated above an answer (a context text, ≤ 3,000) shows its first 500 characters and
  says how long the whole question was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    RichTextBlock,
    RichTextElementParts,
    RichTextSectionElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack.wording import escape_mrkdwn, say

SECTION_TEXT_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
BUTTON_VALUE_LIMIT = 2000
EXCERPT_CONTEXT = 30  # characters shown either side of a finding's excerpt
QUESTION_ECHO_LIMIT = 500  # characters of the question repeated above an answer (escaped: < 3,000)

FEEDBACK_BLOCK_ID = "feedback"
FEEDBACK_ACTIONS = {"up": "feedback_up", "down": "feedback_down"}
CHECK_MODAL_ID = "check_modal"
DRAFT_BLOCK, DRAFT_ACTION = "draft", "text"
ACCOUNT_BLOCK, ACCOUNT_ACTION = "account", "choice"


# ---------------------------------------------------------------- helpers


def split_text(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Split mrkdwn text into pieces of at most ``limit`` characters; ``"".join(pieces) == text``.

    Cuts at a line break if one is in the second half of the window, else after 。, else hard —
    never inside an HTML entity such as ``&amp;``.
    """
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = window.rfind("\n") + 1
        if cut < limit // 2:
            cut = window.rfind("。") + 1
        if cut < limit // 2:
            cut = limit
            amp = window.rfind("&", max(0, limit - 6))
            if amp != -1 and ";" not in window[amp:]:
                cut = amp
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def paginate(blocks: Sequence[Block], limit: int = MESSAGE_BLOCK_LIMIT) -> list[list[Block]]:
    """Split blocks into messages of at most ``limit`` blocks (a label marks continued pages)."""
    blocks = list(blocks)
    if len(blocks) <= limit:
        return [blocks]
    per_page = limit - 1  # room for the "continued" context
    pages = [blocks[i : i + per_page] for i in range(0, len(blocks), per_page)]
    out = [pages[0]]
    for n, page in enumerate(pages[1:], start=2):
        out.append([_context(say("common.j2", "continued", page=n, pages=len(pages)))] + page)
    return out


def to_dicts(blocks: Sequence[Block]) -> list[dict]:
    return [b.to_dict() for b in blocks]


def _section(mrkdwn: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=mrkdwn), block_id=block_id)


def _sections(mrkdwn: str) -> list[SectionBlock]:
    return [_section(p) for p in split_text(mrkdwn) if p.strip()]


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=mrkdwn)])


def _plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


# ---------------------------------------------------------------- Ask


def feedback_value(question: str, clause_ids: list[str]) -> str:
    """Button value carrying what a vote is about. ask() refuses questions over 1,000 characters and
    returns at most a handful of clauses, so this stays far below Slack's 2,000."""
    value = json.dumps({"q": question[:1000], "c": clause_ids[:20]}, ensure_ascii=False, separators=(",", ":"))
    assert len(value) <= BUTTON_VALUE_LIMIT
    return value


def parse_feedback_value(value: str) -> tuple[str, list[str]]:
    data = json.loads(value)
    question, ids = data.get("q", ""), data.get("c", [])
    if not isinstance(question, str) or not isinstance(ids, list):
        raise ValueError("malformed feedback value")
    return question, [str(i) for i in ids]


def answer_blocks(answer, question: str, soumu: bool = False) -> list[Block]:
    """An Answer as blocks: the question, each shown clause with its title and plain summary above the
    verbatim quote (split if long), the 総務課 footer, 👍/👎 buttons, and 「総務課に聞く」 when the answer
    is not covered or of low confidence and ``soumu`` (BOT_SOUMU_CHANNEL is set)."""
    from bot.slack.ask_blocks import soumu_offer

    shown = question[:QUESTION_ECHO_LIMIT]
    blocks: list[Block] = [_context(say("ask.j2", "question", text=shown, total=len(question)))]
    if not answer.answered:
        blocks += _sections(say("ask.j2", "not_covered", notice=answer.notice))
        if soumu and answer.not_covered:
            blocks += soumu_offer(question)
        blocks.append(_context(say("common.j2", "footer")))
        return blocks
    blocks.append(_section(say("ask.j2", "intro")))
    for sc in answer.best:
        c = sc.clause
        head = say("ask.j2", "clause_heading", clause=c)
        if c.parent_text and c.parent and c.parent != c.section:
            head += "\n" + say("ask.j2", "parent_context", clause=c)
        if getattr(sc, "summary", ""):
            head += "\n" + say("ask.j2", "summary", text=sc.summary)
        blocks.append(DividerBlock())
        blocks += _sections(head)
        blocks += _sections(escape_mrkdwn(c.text))
    if answer.related:
        blocks.append(DividerBlock())
        blocks += _sections(say("ask.j2", "related", items=answer.related))
    if soumu and answer.offer_soumu:
        blocks.append(_context(say("ask.j2", "low_confidence")))
        blocks += soumu_offer(question)
    blocks.append(_context(say("common.j2", "footer")))
    value = feedback_value(question, [sc.clause.id for sc in answer.clauses])
    blocks.append(
        ActionsBlock(
            block_id=FEEDBACK_BLOCK_ID,
            elements=[
                ButtonElement(text=_plain(say("ask.j2", "vote_up")), action_id=FEEDBACK_ACTIONS["up"], value=value),
                ButtonElement(text=_plain(say("ask.j2", "vote_down")), action_id=FEEDBACK_ACTIONS["down"], value=value),
            ],
        )
    )
    return blocks


def replace_feedback(blocks: list[dict], vote: str) -> list[dict]:
    """The message's blocks with the 👍/👎 buttons replaced by a thank-you line."""
    thanks = _context(say("ask.j2", "thanks", vote=vote)).to_dict()
    return [thanks if b.get("block_id") == FEEDBACK_BLOCK_ID else b for b in blocks]


# ---------------------------------------------------------------- Check


def _excerpt_block(text: str, f) -> RichTextBlock | None:
    """The finding's excerpt in bold with a little context either side (rich text: no mrkdwn pitfalls).
    Falls back to the excerpt alone if the offsets do not fit the text."""
    T = RichTextElementParts.Text
    parts = [T(text=say("check.j2", "excerpt_label") + " ")]
    if 0 <= f.start < f.end <= len(text):
        before = text[max(0, f.start - EXCERPT_CONTEXT) : f.start]
        after = text[f.end : f.end + EXCERPT_CONTEXT]
        if f.start - EXCERPT_CONTEXT > 0:
            before = "…" + before
        if f.end + EXCERPT_CONTEXT < len(text):
            after = after + "…"
        excerpt = text[f.start : f.end]
    elif f.excerpt:
        before, after, excerpt = "", "", f.excerpt
    else:
        return None
    if before:
        parts.append(T(text=before))
    parts.append(T(text=excerpt, style={"bold": True, "underline": True}))
    if after:
        parts.append(T(text=after))
    return RichTextBlock(elements=[RichTextSectionElement(elements=parts)])


def check_blocks(verdict, text: str, account: str, titles: dict[str, str], shortcut: bool = False,
                 max_blocks: int | None = None) -> list[Block]:
    """A Verdict as blocks. ``titles`` maps clause id → section title. With ``max_blocks`` (views),
    findings that do not fit are counted in a closing line instead of being dropped silently."""
    blocks: list[Block] = [_section(say("check.j2", "headline", verdict=verdict.verdict, account=account,
                                        count=len(verdict.findings)))]
    note = say("check.j2", "checked_as", account=account)
    if shortcut:
        note += "\n" + say("check.j2", "shortcut_note")
    blocks.append(_context(note))
    if verdict.notice:
        blocks += _sections(say("check.j2", "notice", text=verdict.notice))
    footer = _context(say("common.j2", "footer"))
    shown = 0
    for f in verdict.findings:
        group: list[Block] = [DividerBlock()]
        group += _sections(say("check.j2", "finding", f=f, title=titles.get(f.clause, "")))
        excerpt = _excerpt_block(text, f)
        if excerpt:
            group.append(excerpt)
        if max_blocks is not None and len(blocks) + len(group) + 2 > max_blocks:
            break
        blocks += group
        shown += 1
    if shown < len(verdict.findings):
        blocks.append(_section(say("check.j2", "not_shown", count=len(verdict.findings) - shown)))
    blocks.append(footer)
    return blocks


def check_modal() -> View:
    """The /sns-check modal: a multiline draft input and the account choice (公式/私的)."""
    official = Option(value="official", label=say("check.j2", "account_official"))
    private = Option(value="private", label=say("check.j2", "account_private"))
    return View(
        type="modal",
        callback_id=CHECK_MODAL_ID,
        title=_plain(say("check.j2", "modal_title")),
        submit=_plain(say("check.j2", "modal_submit")),
        close=_plain(say("check.j2", "modal_close")),
        blocks=[
            _section(say("check.j2", "modal_intro")),
            InputBlock(
                block_id=DRAFT_BLOCK,
                label=_plain(say("check.j2", "draft_label")),
                element=PlainTextInputElement(
                    action_id=DRAFT_ACTION,
                    multiline=True,
                    max_length=3000,
                    placeholder=_plain(say("check.j2", "draft_placeholder")),
                ),
            ),
            InputBlock(
                block_id=ACCOUNT_BLOCK,
                label=_plain(say("check.j2", "account_label")),
                element=RadioButtonsElement(action_id=ACCOUNT_ACTION, options=[official, private], initial_option=official),
            ),
        ],
    )


def modal_values(view: dict) -> tuple[str, str]:
    """(draft, account) from a submitted check modal."""
    values = (view.get("state") or {}).get("values") or {}
    draft = ((values.get(DRAFT_BLOCK) or {}).get(DRAFT_ACTION) or {}).get("value") or ""
    selected = ((values.get(ACCOUNT_BLOCK) or {}).get(ACCOUNT_ACTION) or {}).get("selected_option") or {}
    account = selected.get("value") if selected.get("value") in ("official", "private") else "official"
    return draft, account


def result_modal(blocks: list[Block] | None = None) -> View:
    """The modal after submission: 'checking…' first (blocks None), then the result."""
    body = blocks if blocks is not None else [_section(say("check.j2", "checking"))]
    return View(type="modal", callback_id=CHECK_MODAL_ID + "_result", title=_plain(say("check.j2", "modal_title")),
                close=_plain(say("check.j2", "modal_close")), blocks=body[:VIEW_BLOCK_LIMIT])


# ---------------------------------------------------------------- App Home


def home_view(extra: Sequence[Block] = ()) -> View:
    """The Home tab: each job with examples; ``extra`` blocks (e.g. the viewer's open incidents) follow."""
    blocks: list[Block] = [
        _section(f"*{say('home.j2', 'title')}*"),
        _section(say("home.j2", "intro")),
        DividerBlock(),
        _section(say("home.j2", "ask")),
        DividerBlock(),
        _section(say("home.j2", "check")),
        DividerBlock(),
        _section(say("home.j2", "report")),
    ]
    blocks += list(extra)
    blocks.append(_context(say("home.j2", "footer")))
    if len(blocks) > VIEW_BLOCK_LIMIT:  # never cut silently: say how many were left out
        keep = VIEW_BLOCK_LIMIT - 2
        blocks = blocks[:keep] + [_context(say("home.j2", "omitted", count=len(blocks) - 1 - keep)), blocks[-1]]
    return View(type="home", blocks=blocks)


def text_blocks(mrkdwn: str) -> list[Block]:
    """A plain notice as blocks (split when long)."""
    return _sections(mrkdwn)


def context_blocks(mrkdwn: str) -> list[Block]:
    return [_context(mrkdwn)]
