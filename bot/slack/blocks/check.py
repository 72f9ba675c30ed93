"""Block Kit for Check: a Verdict with each finding's excerpt, the re-check button, the /sns-check modal
and its result."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
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

from bot.slack.blocks.common import (
    BUTTON_VALUE_LIMIT,
    VIEW_BLOCK_LIMIT,
    context_block,
    plain,
    section,
    sections,
    text_blocks,
)
from bot.slack.ids import (
    ACCOUNT_ACTION,
    ACCOUNT_BLOCK,
    CHECK_AGAIN_ACTIONS,
    CHECK_AGAIN_BLOCK,
    CHECK_MODAL_ID,
    CHECK_OPEN_MODAL_ACTION,
    CHECK_RESULT_ID,
    DRAFT_ACTION,
    DRAFT_BLOCK,
)
from bot.slack.wording import say

EXCERPT_CONTEXT = 30  # characters shown either side of a finding's excerpt
METADATA_LIMIT = 3000  # a view's private_metadata (Slack's modal view reference)
MODAL_DRAFT_LIMIT = 3000  # the modal's draft input (plain_text_input max_length)
ACCOUNTS = ("official", "private")


def other_account(account: str) -> str:
    return "official" if account == "private" else "private"


def slack_length(text: str, escaped: bool = True) -> int:
    """Length as Slack may count it, on the safe side: UTF-16 code units (an emoji counts 2), of the
    JSON-escaped string when ``escaped`` (a newline counts 2)."""
    if escaped:
        text = json.dumps(text, ensure_ascii=False)[1:-1]
    return len(text.encode("utf-16-le")) // 2


def check_again_blocks(account: str, draft: str, *, in_view: bool = False) -> tuple[list[Block], str]:
    """The button that checks ``draft`` again as the other account, and the view's private_metadata.

    The draft travels in the button value when it fits (2,000), else — in a view — in private_metadata
    (3,000); a longer draft gets a polite line and 「入力画面を開く」 instead, so it is never kept by the bot."""
    other = other_account(account)
    in_button = slack_length(draft) <= BUTTON_VALUE_LIMIT
    # the modal's own input (max_length 3,000) is counted like private_metadata: plain characters
    if in_button or (in_view and slack_length(draft, escaped=False) <= METADATA_LIMIT):
        button = ButtonElement(text=plain(say("check.j2", "check_again_button", account=other)),
                               action_id=CHECK_AGAIN_ACTIONS[other], value=draft if in_button else None)
        return [ActionsBlock(block_id=CHECK_AGAIN_BLOCK, elements=[button])], "" if in_button else draft
    button = ButtonElement(text=plain(say("check.j2", "open_modal_button")), action_id=CHECK_OPEN_MODAL_ACTION, value=other)
    return [context_block(say("check.j2", "check_again_too_long", account=other, limit=MODAL_DRAFT_LIMIT)),
            ActionsBlock(block_id=CHECK_AGAIN_BLOCK, elements=[button])], ""


def notice_blocks(message: str) -> list[Block]:
    """One polite line instead of a result (empty or unusable input)."""
    return text_blocks(message)


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
                 max_blocks: int | None = None, size: tuple[int, int] | None = None,
                 again: list[Block] | None = None) -> list[Block]:
    """A Verdict as blocks. ``titles`` maps clause id → section title; ``size`` is (characters,
    sentences) checked, said in every result; ``again`` (the check-again button) goes last before the
    footer. With ``max_blocks`` (views), findings that do not fit are counted in a closing line instead
    of being dropped silently."""
    chars, sentences = size if size is not None else (len(text), 0)
    blocks: list[Block] = [section(say("check.j2", "headline", verdict=verdict.verdict, account=account,
                                        count=len(verdict.findings)))]
    note = say("check.j2", "checked_as", account=account, chars=chars, sentences=sentences)
    if shortcut:
        note += "\n" + say("check.j2", "shortcut_note", can_check_again=bool(again) and again[0].type == "actions")
    blocks.append(context_block(note))
    again = list(again or [])
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
        if max_blocks is not None and len(blocks) + len(group) + 2 + len(again) > max_blocks:
            break
        blocks += group
        shown += 1
    if shown < len(verdict.findings):
        blocks.append(section(say("check.j2", "not_shown", count=len(verdict.findings) - shown)))
    blocks += again
    blocks.append(footer)
    return blocks


def check_modal(account: str = "official") -> View:
    """The /sns-check modal: a multiline draft input and the account choice (公式/私的), ``account`` chosen."""
    official = Option(value="official", label=say("check.j2", "account_official"))
    private = Option(value="private", label=say("check.j2", "account_private"))
    chosen = private if account == "private" else official
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
                    max_length=MODAL_DRAFT_LIMIT,
                    placeholder=plain(say("check.j2", "draft_placeholder")),
                ),
            ),
            InputBlock(
                block_id=ACCOUNT_BLOCK,
                label=plain(say("check.j2", "account_label")),
                element=RadioButtonsElement(action_id=ACCOUNT_ACTION, options=[official, private], initial_option=chosen),
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


def result_modal(blocks: list[Block] | None = None, metadata: str = "") -> View:
    """The modal after submission: 'checking…' first (blocks None), then the result. ``metadata``: the
    draft, when it is too long for the re-check button's value (private_metadata; never stored by us)."""
    body = blocks if blocks is not None else checking_blocks()
    return View(type="modal", callback_id=CHECK_RESULT_ID, title=plain(say("check.j2", "modal_title")),
                close=plain(say("check.j2", "modal_close")), blocks=body[:VIEW_BLOCK_LIMIT],
                private_metadata=metadata or None)


def checking_blocks() -> list[Block]:
    """「確認しています…」, shown while a long draft is checked."""
    return [section(say("check.j2", "checking"))]
