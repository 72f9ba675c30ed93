"""Block Kit helpers shared by every subject, and Slack's limits.

Slack's limits are respected here, never by cutting text silently:
- section text ≤ 3,000 characters: long text is split across several sections (``sections``);
- ≤ 50 blocks per message: ``paginate`` splits a long reply into several messages;
- ≤ 100 blocks per view: a result that does not fit says how many items were left out;
- button value ≤ 2,000 characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, PlainTextObject, SectionBlock

from bot.slack.wording import say

SECTION_TEXT_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
BUTTON_VALUE_LIMIT = 2000


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
        out.append([context_block(say("common.j2", "continued", page=n, pages=len(pages)))] + page)
    return out


def to_dicts(blocks: Sequence[Block]) -> list[dict]:
    return [b.to_dict() for b in blocks]


def section(mrkdwn: str, block_id: str | None = None, accessory=None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=mrkdwn), block_id=block_id, accessory=accessory)


def sections(mrkdwn: str) -> list[SectionBlock]:
    return [section(p) for p in split_text(mrkdwn) if p.strip()]


def context_block(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=mrkdwn)])


def plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def text_blocks(mrkdwn: str) -> list[Block]:
    """A plain notice as blocks (split when long)."""
    return sections(mrkdwn)


def context_blocks(mrkdwn: str) -> list[Block]:
    return [context_block(mrkdwn)]
