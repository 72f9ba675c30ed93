"""Block Kit for Report, built from the plain data of bot.incidents (IncidentReply, Incident).
Wording comes from templates/report.j2."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.incidents.model import Incident, IncidentReply, Step
from bot.slack import wording
from bot.slack.blocks import split_text
from bot.slack.wording import escape_mrkdwn, say

STEP_ACTION_PREFIX = "report_step_"  # action_id report_step_<pos>, value "<incident>:<pos>": marks it done
UNDO_ACTION_PREFIX = "report_undo_"  # action_id report_undo_<pos> (same value): 「取り消す」, a separate action
STEP_BLOCK_PREFIX = "report_step_"
HOME_LIMIT = 15  # incidents listed on the Home tab (the rest are counted)
JST = timezone(timedelta(hours=9))


def slack_date(iso: str | None) -> str:
    """A timestamp shown in each reader's own time zone (Slack date formatting), JST as fallback."""
    if not iso:
        return ""
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return escape_mrkdwn(iso)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    fallback = dt.astimezone(JST).strftime("%Y-%m-%d %H:%M")
    return f"<!date^{int(dt.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _say(macro: str, **values) -> str:
    env = wording._env()
    env.filters.setdefault("slack_date", slack_date)
    return say("report.j2", macro, **values)


def _section(mrkdwn: str, block_id: str | None = None, accessory=None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=mrkdwn), block_id=block_id, accessory=accessory)


def _sections(mrkdwn: str) -> list[SectionBlock]:
    return [_section(p) for p in split_text(mrkdwn) if p.strip()]


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=mrkdwn)])


def step_value(incident_id: int, pos: int) -> str:
    return f"{incident_id}:{pos}"


def parse_step_value(value: str) -> tuple[int, int]:
    """(incident id, step pos) from a button value; ValueError when malformed."""
    incident, _, pos = (value or "").partition(":")
    return int(incident), int(pos)


def _step_block(incident_id: int, step: Step) -> SectionBlock:
    button = ButtonElement(
        text=PlainTextObject(text=_say("step_button", s=step), emoji=True),
        action_id=f"{UNDO_ACTION_PREFIX if step.done else STEP_ACTION_PREFIX}{step.pos}",
        value=step_value(incident_id, step.pos),
        style=None if step.done else "primary",
    )
    return _section(_say("step_line", s=step), block_id=f"{STEP_BLOCK_PREFIX}{step.pos}", accessory=button)


def reply_blocks(r: IncidentReply) -> list[Block]:
    """The thread reply: who is tagged, the do-not-rebut rule, the clauses verbatim, the checklist."""
    blocks: list[Block] = [_section(_say("headline", r=r))]
    blocks += _sections(_say("routing", r=r))
    if any(c.do_not_rebut for c in r.clauses):
        blocks += _sections(_say("do_not_rebut", r=r))
    if r.clauses:
        blocks.append(DividerBlock())
        blocks.append(_context(_say("clauses_intro")))
        for c in r.clauses:
            blocks += _sections(_say("clause_heading", c=c) + "\n" + escape_mrkdwn(c.text))
    blocks.append(DividerBlock())
    blocks.append(_section(_say("steps_intro")))
    blocks += [_step_block(r.incident_id, s) for s in r.steps]
    blocks.append(_context(_say("status", r=r)))
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
    return _sections(text), _say("duplicate_text", incident=incident)


def home_section(incidents: list[Incident], labels: dict[str, str], next_steps: dict[int, Step | None],
                 general_affairs: bool) -> list[Block]:
    """The viewer's open incidents (all open ones for 総務課) for the Home tab."""
    if not incidents:
        return [DividerBlock(), _section(_say("home_none", general_affairs=general_affairs))]
    blocks: list[Block] = [DividerBlock(), _section(_say("home_title", general_affairs=general_affairs, count=len(incidents)))]
    for i in incidents[:HOME_LIMIT]:
        blocks += _sections(_say("home_item", i=i, label=labels.get(i.type, i.type), next_step=next_steps.get(i.id)))
    if len(incidents) > HOME_LIMIT:
        blocks.append(_context(_say("home_more", count=len(incidents) - HOME_LIMIT)))
    return blocks


def text_blocks(mrkdwn: str) -> list[Block]:
    return _sections(mrkdwn)
