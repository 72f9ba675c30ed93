"""Block Kit for Ask beyond the answer itself: 「総務課に聞く」, 総務課's channel post with the one-click label,
the relayed answer, the help reply and the offer to check a draft pasted into a DM."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    Option,
    StaticSelectElement,
)

from bot.slack.blocks.common import BUTTON_VALUE_LIMIT
from bot.slack.blocks.common import context_block as _context
from bot.slack.blocks.common import plain as _plain
from bot.slack.blocks.common import section as _section
from bot.slack.ids import CHECK_DRAFT_ACTION, CHECK_DRAFT_BLOCK, LABEL_ACTION, LABEL_BLOCK, SOUMU_ACTION, SOUMU_BLOCK
from bot.slack.wording import say

DRAFT_VALUE_LIMIT = 1900  # a longer draft gets the /sns-check hint instead of the button
OPTION_TEXT_LIMIT = 75
OUT_OF_SCOPE = "-"




def soumu_value(question: str) -> str:
    value = json.dumps({"q": question[:1000]}, ensure_ascii=False, separators=(",", ":"))
    assert len(value) <= BUTTON_VALUE_LIMIT
    return value


def parse_soumu_value(value: str) -> str:
    q = json.loads(value).get("q", "")
    if not isinstance(q, str) or not q.strip():
        raise ValueError("malformed 総務課 button value")
    return q


def soumu_offer(question: str) -> list[Block]:
    return [
        _context(say("ask.j2", "soumu_offer")),
        ActionsBlock(block_id=SOUMU_BLOCK, elements=[
            ButtonElement(text=_plain(say("ask.j2", "soumu_button")), action_id=SOUMU_ACTION,
                          value=soumu_value(question)),
        ]),
    ]


def replace_soumu_button(blocks: list[dict], note: str) -> list[dict]:
    """The asker's message with the 「総務課に聞く」 button replaced by ``note``."""
    ctx = _context(note).to_dict()
    return [ctx if b.get("block_id") == SOUMU_BLOCK else b for b in blocks]


def _option_text(text: str) -> str:
    return text if len(text) <= OPTION_TEXT_LIMIT else text[: OPTION_TEXT_LIMIT - 1] + "…"


def soumu_question_blocks(escalation_id: int, question: str, clauses) -> list[Block]:
    """総務課's channel post: the question verbatim, how to answer, and the one-click label."""
    options = [Option(value=f"{escalation_id}|{OUT_OF_SCOPE}", text=_option_text(say("ask.j2", "soumu_out_of_scope")))]
    for c in clauses[:99]:  # Slack: at most 100 options
        head = c.heading if c.heading and c.heading != c.title else ""
        options.append(Option(value=f"{escalation_id}|{c.id}", text=_option_text(f"【{c.id}】{c.title} {head}".strip())))
    return [
        _section(say("ask.j2", "soumu_question", text=question)),
        _context(say("ask.j2", "soumu_hint")),
        ActionsBlock(block_id=LABEL_BLOCK, elements=[
            StaticSelectElement(action_id=LABEL_ACTION, placeholder=_plain(say("ask.j2", "soumu_label_placeholder")),
                                options=options),
        ]),
    ]


def parse_label_value(value: str) -> tuple[int, str]:
    eid, _, label = (value or "").partition("|")
    if not eid.isdigit() or not label:
        raise ValueError("malformed label value")
    return int(eid), label


def replace_label_menu(blocks: list[dict], note: str) -> list[dict]:
    ctx = _context(note).to_dict()
    return [ctx if b.get("block_id") == LABEL_BLOCK else b for b in blocks]


def relayed_answer_blocks(question: str, answer_mrkdwn: str) -> list[Block]:
    """総務課's thread reply, delivered to the asker by DM (総務課's text is Slack mrkdwn already)."""
    return [_section(say("ask.j2", "soumu_answer_dm", question=question[:1000])),
            *[_section(answer_mrkdwn[i:i + 3000]) for i in range(0, max(1, len(answer_mrkdwn)), 3000)]]


def help_blocks() -> list[Block]:
    return [_section(say("ask.j2", "help"))]


def draft_offer_blocks(draft: str | None) -> list[Block]:
    """The offer to check a draft. ``draft`` (DM only) travels in the button value, so nothing of it is
    kept by the bot; a draft too long for a button gets the /sns-check hint instead."""
    can = bool(draft) and len(json.dumps(draft, ensure_ascii=False)) <= DRAFT_VALUE_LIMIT
    blocks: list[Block] = [_section(say("ask.j2", "draft_offer", can_check=can))]
    if can:
        blocks.append(ActionsBlock(block_id=CHECK_DRAFT_BLOCK, elements=[
            ButtonElement(text=_plain(say("ask.j2", "draft_check_button")), action_id=CHECK_DRAFT_ACTION,
                          value=draft, style="primary"),
        ]))
    return blocks


def replace_draft_button(blocks: list[dict]) -> list[dict]:
    """The offer with its button (and so the draft) removed once the check ran."""
    ctx = _context(say("ask.j2", "draft_checked")).to_dict()
    return [ctx if b.get("block_id") == CHECK_DRAFT_BLOCK else b for b in blocks]
