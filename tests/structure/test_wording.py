"""Wording in one home: one label per severity, the same in the CLI and in Slack."""

from __future__ import annotations

import json

from bot.screening import check
from bot.screening.render import render_verdict
from bot.slack.flows import check_draft
from bot.wording import SEVERITIES, severity_label

DRAFT = "山田太郎さん（090-1234-5678）のお宅で撮影しました"


def test_each_severity_has_one_label_used_by_the_cli_and_slack():
    labels = {s: severity_label(s) for s in SEVERITIES}
    assert len(set(labels.values())) == 3 and all(labels.values())
    verdict = check(DRAFT)
    assert verdict.findings
    cli = render_verdict(verdict)
    _, blocks = check_draft(DRAFT, "official", slack_formatted=False)
    slack = json.dumps([b.to_dict() for b in blocks], ensure_ascii=False)
    for f in verdict.findings:
        assert f"[{labels[f.severity]}]" in cli and labels[f.severity] in slack
    others = set(labels.values()) - {labels[f.severity] for f in verdict.findings}
    assert not any(o in cli or o in slack for o in others)
