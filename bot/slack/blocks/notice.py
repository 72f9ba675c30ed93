"""Block Kit for the drafts of the website notice and the press material: a modal shown to 総務課 only,
with the account name (editable) and the text in a code block to copy."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.incidents.notices import MAX_ACCOUNT_CHARS, Draft
from bot.slack.blocks.common import SECTION_TEXT_LIMIT, context_block, plain, section, split_text
from bot.slack.ids import NOTICE_ACCOUNT_ACTION, NOTICE_ACCOUNT_BLOCK, NOTICE_MODAL_ID
from bot.slack.wording import escape_mrkdwn, say

FENCE = "```"


def _say(macro: str, **values) -> str:
    return say("notice.j2", macro, **values)


def code_blocks(text: str) -> list[Block]:
    """The text in code blocks to copy (split across sections when longer than a section holds)."""
    body = escape_mrkdwn(text.replace(FENCE, "'''"))
    return [section(f"{FENCE}\n{piece.strip(chr(10))}\n{FENCE}")
            for piece in split_text(body, SECTION_TEXT_LIMIT - 2 * len(FENCE) - 2) if piece.strip()]


def notice_modal(d: Draft, saved_name: str) -> View:
    """The draft in a modal. ``saved_name``: what 総務課 entered before ("" = taken from the URL)."""
    initial = saved_name or (d.account_name if not d.account_name.startswith("〔") else "")
    account = PlainTextInputElement(action_id=NOTICE_ACCOUNT_ACTION, max_length=MAX_ACCOUNT_CHARS,
                                    initial_value=initial or None)
    blocks: list[Block] = [
        section(_say("intro", kind=d.kind, incident_id=d.incident_id)),
        InputBlock(block_id=NOTICE_ACCOUNT_BLOCK, label=plain(_say("account_label")), element=account, optional=True,
                   hint=plain(_say("account_hint"))),
        *code_blocks(d.text),
        context_block(_say("template_note")),
    ]
    return View(type="modal", callback_id=NOTICE_MODAL_ID, title=plain(_say("title", kind=d.kind)),
                submit=plain(_say("submit")), close=plain(_say("close")), blocks=blocks[:100],
                private_metadata=json.dumps({"incident": d.incident_id, "kind": d.kind}))


def modal_state(view: dict) -> tuple[int, str, str]:
    """(incident id, kind, account name entered) from a submitted notice modal; ValueError when malformed."""
    meta = json.loads(view.get("private_metadata") or "{}")
    values = (view.get("state") or {}).get("values") or {}
    name = ((values.get(NOTICE_ACCOUNT_BLOCK) or {}).get(NOTICE_ACCOUNT_ACTION) or {}).get("value") or ""
    return int(meta["incident"]), str(meta["kind"]), str(name)
