"""Block Kit for Check: a Verdict with each finding's excerpt, the /sns-check modal and its result."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    RichTextBlock,
    RichTextElementParts,
    RichTextSectionElement,
)
from slack_sdk.models.views import View

from bot.slack.blocks.common import VIEW_BLOCK_LIMIT, context_block, plain, section, sections
from bot.slack.ids import ACCOUNT_ACTION, ACCOUNT_BLOCK, CHECK_MODAL_ID, CHECK_RESULT_ID, DRAFT_ACTION, DRAFT_BLOCK
from bot.slack.wording import say

EXCERPT_CONTEXT = 30  # characters shown either side of a finding's excerpt


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
    blocks: list[Block] = [section(say("check.j2", "headline", verdict=verdict.verdict, account=account,
                                        count=len(verdict.findings)))]
    note = say("check.j2", "checked_as", account=account)
    if shortcut:
        note += "\n" + say("check.j2", "shortcut_note")
    blocks.append(context_block(note))
    if verdict.notice:
        blocks += sections(say("check.j2", "notice", text=verdict.notice))
    footer = context_block(say("common.j2", "footer"))
    shown = 0
    for f in verdict.findings:
        group: list[Block] = [DividerBlock()]
        group += sections(say("check.j2", "finding", f=f, title=titles.get(f.clause, "")))
        excerpt = _excerpt_block(text, f)
        if excerpt:
            group.append(excerpt)
        if max_blocks is not None and len(blocks) + len(group) + 2 > max_blocks:
            break
        blocks += group
        shown += 1
    if shown < len(verdict.findings):
        blocks.append(section(say("check.j2", "not_shown", count=len(verdict.findings) - shown)))
    blocks.append(footer)
    return blocks


def check_modal() -> View:
    """The /sns-check modal: a multiline draft input and the account choice (公式/私的)."""
    official = Option(value="official", label=say("check.j2", "account_official"))
    private = Option(value="private", label=say("check.j2", "account_private"))
    return View(
        type="modal",
        callback_id=CHECK_MODAL_ID,
        title=plain(say("check.j2", "modal_title")),
        submit=plain(say("check.j2", "modal_submit")),
        close=plain(say("check.j2", "modal_close")),
        blocks=[
            section(say("check.j2", "modal_intro")),
            InputBlock(
                block_id=DRAFT_BLOCK,
                label=plain(say("check.j2", "draft_label")),
                element=PlainTextInputElement(
                    action_id=DRAFT_ACTION,
                    multiline=True,
                    max_length=3000,
                    placeholder=plain(say("check.j2", "draft_placeholder")),
                ),
            ),
            InputBlock(
                block_id=ACCOUNT_BLOCK,
                label=plain(say("check.j2", "account_label")),
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
    body = blocks if blocks is not None else [section(say("check.j2", "checking"))]
    return View(type="modal", callback_id=CHECK_RESULT_ID, title=plain(say("check.j2", "modal_title")),
                close=plain(say("check.j2", "modal_close")), blocks=body[:VIEW_BLOCK_LIMIT])
