"""Block Kit for Report, built from the plain data of bot.incidents (IncidentReply, Incident).
Wording comes from templates/report.j2."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ButtonElement, DividerBlock, SectionBlock

from bot.incidents.model import Incident, IncidentReply, Step
from bot.slack.blocks.common import context_block, plain, section, sections
from bot.slack.ids import STEP_ACTION_PREFIX, STEP_BLOCK_PREFIX
from bot.slack.wording import escape_mrkdwn, say


def _say(macro: str, **values) -> str:
    return say("report.j2", macro, **values)


def step_value(incident_id: int, pos: int) -> str:
    return f"{incident_id}:{pos}"


def parse_step_value(value: str) -> tuple[int, int]:
    """(incident id, step pos) from a button value; ValueError when malformed."""
    incident, _, pos = (value or "").partition(":")
    return int(incident), int(pos)


def _step_block(incident_id: int, step: Step) -> SectionBlock:
    button = ButtonElement(
        text=plain(_say("step_button", s=step)),
        action_id=f"{STEP_ACTION_PREFIX}{step.pos}",
        value=step_value(incident_id, step.pos),
        style=None if step.done else "primary",
    )
    return section(_say("step_line", s=step), block_id=f"{STEP_BLOCK_PREFIX}{step.pos}", accessory=button)


def reply_blocks(r: IncidentReply) -> list[Block]:
    """The thread reply: who is tagged, the do-not-rebut rule, the clauses verbatim, the checklist."""
    blocks: list[Block] = [section(_say("headline", r=r))]
    blocks += sections(_say("routing", r=r))
    if any(c.do_not_rebut for c in r.clauses):
        blocks += sections(_say("do_not_rebut", r=r))
    if r.clauses:
        blocks.append(DividerBlock())
        blocks.append(context_block(_say("clauses_intro")))
        for c in r.clauses:
            blocks += sections(_say("clause_heading", c=c) + "\n" + escape_mrkdwn(c.text))
    blocks.append(DividerBlock())
    blocks.append(section(_say("steps_intro")))
    blocks += [_step_block(r.incident_id, s) for s in r.steps]
    blocks.append(context_block(_say("status", r=r)))
    return blocks


def reply_text(r: IncidentReply) -> str:
    """Notification text of the reply (carries the mentions so the tagged people are notified)."""
    return _say("notification", r=r)


def updated_text(r: IncidentReply) -> str:
    return _say("updated_text", r=r)


def duplicate_blocks(incident: Incident, label: str, reporter: str, permalink: str = "") -> tuple[list[Block], str]:
    """The notice for a URL already being handled; ``permalink`` (if known) links to that incident's thread."""
    text = _say("duplicate", incident=incident, label=label, reporter=reporter,
                permalink=permalink if permalink.startswith("https://") and not set("<>|") & set(permalink) else "")
    return sections(text), _say("duplicate_text", incident=incident)
