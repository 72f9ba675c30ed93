"""Block Kit for an Offer (「報告として受け付けますか？」 with 「報告する」 / 「質問でした」) and for the offer
message once decided. Wording in templates/report.j2."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.incidents.offers import Offer
from bot.slack.blocks.common import context_block, plain, sections
from bot.slack.ids import OFFER_FILE_ACTION, OFFER_QUESTION_ACTION, REPORT_OFFER_BLOCK
from bot.slack.wording import say


def _say(macro: str, **values) -> str:
    return say("report.j2", macro, **values)


def offer_value(offer_id: int) -> str:
    return str(offer_id)


def parse_offer_value(value: str) -> int:
    """The offer id from a button value; ValueError when malformed."""
    return int((value or "").strip())


def offer_blocks(offer: Offer, label: str, incident_id: int | None = None) -> tuple[list[Block], str]:
    """(blocks, notification text) of the offer message in its current state: pending shows the buttons;
    once decided it says what happened, without buttons."""
    if offer.status == "filed":
        text = _say("offer_filed", offer=offer, label=label, incident_id=incident_id)
        return sections(text), _say("offer_filed_text", incident_id=incident_id)
    if offer.status == "declined":
        text = _say("offer_declined", offer=offer)
        return sections(text), _say("offer_declined_text")
    blocks: list[Block] = sections(_say("offer", offer=offer, label=label))
    blocks.append(ActionsBlock(block_id=REPORT_OFFER_BLOCK, elements=[
        ButtonElement(text=plain(_say("offer_file_button")), action_id=OFFER_FILE_ACTION,
                      value=offer_value(offer.id), style="primary"),
        ButtonElement(text=plain(_say("offer_question_button")), action_id=OFFER_QUESTION_ACTION,
                      value=offer_value(offer.id)),
    ]))
    blocks.append(context_block(_say("offer_hint", offer=offer)))
    return blocks, _say("offer_text", label=label)
