"""Block Kit for Ask: an Answer with its clauses verbatim and the 👍/👎 buttons; 「総務課に聞く」, 総務課's channel
post with the one-click label, the relayed answer, the help reply and the offer to check a draft pasted into a DM.

The question repeated above an answer (a context text, ≤ 3,000) shows its first 500 characters and says
how long the whole question was.
"""

from __future__ import annotations

import json

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock, Option, StaticSelectElement

from bot.slack.blocks.common import BUTTON_VALUE_LIMIT, context_block, plain, section, sections
from bot.slack.ids import (
    CHECK_DRAFT_ACTION,
    CHECK_DRAFT_BLOCK,
    FEEDBACK_ACTIONS,
    FEEDBACK_BLOCK_ID,
    LABEL_ACTION,
    LABEL_BLOCK,
    SOUMU_ACTION,
    SOUMU_BLOCK,
)
from bot.slack.wording import escape_mrkdwn, say

QUESTION_ECHO_LIMIT = 500  # characters of the question repeated above an answer (escaped: < 3,000)
DRAFT_VALUE_LIMIT = 1900  # a longer draft gets the /sns-check hint instead of the button
OPTION_TEXT_LIMIT = 75
OUT_OF_SCOPE = "-"


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
    shown = question[:QUESTION_ECHO_LIMIT]
    blocks: list[Block] = [context_block(say("ask.j2", "question", text=shown, total=len(question)))]
    if not answer.answered:
        blocks += sections(say("ask.j2", "not_covered", notice=answer.notice))
        if soumu and answer.not_covered:
            blocks += soumu_offer(question)
        blocks.append(context_block(say("common.j2", "footer")))
        return blocks
    blocks.append(section(say("ask.j2", "intro")))
    for sc in answer.best:
        c = sc.clause
        head = say("ask.j2", "clause_heading", clause=c)
        if c.parent_text and c.parent and c.parent != c.section:
            head += "\n" + say("ask.j2", "parent_context", clause=c)
        if sc.summary:
            head += "\n" + say("ask.j2", "summary", text=sc.summary)
        blocks.append(DividerBlock())
        blocks += sections(head)
        blocks += sections(escape_mrkdwn(c.text))
    if answer.related:
        blocks.append(DividerBlock())
        blocks += sections(say("ask.j2", "related", items=answer.related))
    if soumu and answer.offer_soumu:
        blocks.append(context_block(say("ask.j2", "low_confidence")))
        blocks += soumu_offer(question)
    blocks.append(context_block(say("common.j2", "footer")))
    value = feedback_value(question, [sc.clause.id for sc in answer.clauses])
    blocks.append(
        ActionsBlock(
            block_id=FEEDBACK_BLOCK_ID,
            elements=[
                ButtonElement(text=plain(say("ask.j2", "vote_up")), action_id=FEEDBACK_ACTIONS["up"], value=value),
                ButtonElement(text=plain(say("ask.j2", "vote_down")), action_id=FEEDBACK_ACTIONS["down"], value=value),
            ],
        )
    )
    return blocks


def replace_feedback(blocks: list[dict], vote: str) -> list[dict]:
    """The message's blocks with the 👍/👎 buttons replaced by a thank-you line."""
    thanks = context_block(say("ask.j2", "thanks", vote=vote)).to_dict()
    return [thanks if b.get("block_id") == FEEDBACK_BLOCK_ID else b for b in blocks]


# --- 「総務課に聞く」, the label, the relayed answer, help and the draft offer ---------------------------


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
        context_block(say("ask.j2", "soumu_offer")),
        ActionsBlock(block_id=SOUMU_BLOCK, elements=[
            ButtonElement(text=plain(say("ask.j2", "soumu_button")), action_id=SOUMU_ACTION,
                          value=soumu_value(question)),
        ]),
    ]


def replace_soumu_button(blocks: list[dict], note: str) -> list[dict]:
    """The asker's message with the 「総務課に聞く」 button replaced by ``note``."""
    ctx = context_block(note).to_dict()
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
        section(say("ask.j2", "soumu_question", text=question)),
        context_block(say("ask.j2", "soumu_hint")),
        ActionsBlock(block_id=LABEL_BLOCK, elements=[
            StaticSelectElement(action_id=LABEL_ACTION, placeholder=plain(say("ask.j2", "soumu_label_placeholder")),
                                options=options),
        ]),
    ]


def parse_label_value(value: str) -> tuple[int, str]:
    eid, _, label = (value or "").partition("|")
    if not eid.isdigit() or not label:
        raise ValueError("malformed label value")
    return int(eid), label


def replace_label_menu(blocks: list[dict], note: str) -> list[dict]:
    ctx = context_block(note).to_dict()
    return [ctx if b.get("block_id") == LABEL_BLOCK else b for b in blocks]


def relayed_answer_blocks(question: str, answer_mrkdwn: str) -> list[Block]:
    """総務課's thread reply, delivered to the asker by DM (総務課's text is Slack mrkdwn already)."""
    return [section(say("ask.j2", "soumu_answer_dm", question=question[:1000])),
            *[section(answer_mrkdwn[i:i + 3000]) for i in range(0, max(1, len(answer_mrkdwn)), 3000)]]


def help_blocks() -> list[Block]:
    return [section(say("ask.j2", "help"))]


def draft_offer_blocks(draft: str | None) -> list[Block]:
    """The offer to check a draft. ``draft`` (DM only) travels in the button value, so nothing of it is
    kept by the bot; a draft too long for a button gets the /sns-check hint instead."""
    can = bool(draft) and len(json.dumps(draft, ensure_ascii=False)) <= DRAFT_VALUE_LIMIT
    blocks: list[Block] = [section(say("ask.j2", "draft_offer", can_check=can))]
    if can:
        blocks.append(ActionsBlock(block_id=CHECK_DRAFT_BLOCK, elements=[
            ButtonElement(text=plain(say("ask.j2", "draft_check_button")), action_id=CHECK_DRAFT_ACTION,
                          value=draft, style="primary"),
        ]))
    return blocks


def replace_draft_button(blocks: list[dict]) -> list[dict]:
    """The offer with its button (and so the draft) removed once the check ran."""
    ctx = context_block(say("ask.j2", "draft_checked")).to_dict()
    return [ctx if b.get("block_id") == CHECK_DRAFT_BLOCK else b for b in blocks]
