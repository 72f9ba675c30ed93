"""Helpers for the end-to-end Check tests against the local fake Slack: a draft with a personal phone number,
the core check replaced by one that finds just that number (the ``seen`` fixture in conftest.py), and reading
what was shown."""

from __future__ import annotations

import json

from bot.screening import Finding, Verdict
from tests.fakeslack import payloads as P

PHONE = "090-1234-5678"
DRAFT = f"明日の会議の件、担当の田中さん（{PHONE}）に連絡してください。"


def phone_verdict(text: str) -> Verdict:
    """block with one 6(2) finding on PHONE when the text holds it, else ok."""
    if PHONE not in text:
        return Verdict("ok", [])
    start = text.index(PHONE)
    return Verdict("block", [Finding(
        clause="6(2)", category="personal_info", severity="block", start=start, end=start + len(PHONE),
        excerpt=PHONE, message="個人の電話番号が含まれています。", suggestion="電話番号を削除してください。")])


def json_text(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def check_submission(view, draft, account="official"):
    """Slack's view_submission of the check modal with ``draft`` and ``account``."""
    values = {"draft": {"text": {"type": "plain_text_input", "value": draft}},
              "account": {"choice": {"type": "radio_buttons",
                                     "selected_option": {"text": {"type": "plain_text", "text": account}, "value": account}}}}
    return P.view_submission(view, values)


def no_public_draft(fake_slack, needle=PHONE):
    """Nothing posted publicly (chat.postMessage) shows ``needle``."""
    for call in fake_slack.calls_to("chat.postMessage"):
        assert needle not in call.text_everywhere
