"""Block Kit for Ask: an Answer with its clauses verbatim and the 👍/👎 buttons.

The question repeated above an answer (a context text, ≤ 3,000) shows its first 500 characters and says
how long the whole question was.
"""

from __future__ import annotations

import json

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from bot.slack.blocks.common import BUTTON_VALUE_LIMIT, context_block, plain, section, sections
from bot.slack.ids import FEEDBACK_ACTIONS, FEEDBACK_BLOCK_ID
from bot.slack.wording import escape_mrkdwn, say

QUESTION_ECHO_LIMIT = 500  # characters of the question repeated above an answer (escaped: < 3,000)


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
