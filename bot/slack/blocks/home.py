"""Block Kit for the Home tab: the how-to of each job, then the extra sections (the viewer's open
incidents, built here from bot.incidents' plain data)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.incidents.model import Incident, Step
from bot.slack.blocks.common import VIEW_BLOCK_LIMIT, context_block, section, sections
from bot.slack.wording import say

HOME_LIMIT = 15  # incidents listed on the Home tab (the rest are counted)


def home_view(extra: Sequence[Block] = ()) -> View:
    """The Home tab: each job with examples; ``extra`` blocks (e.g. the viewer's open incidents) follow."""
    blocks: list[Block] = [
        section(f"*{say('home.j2', 'title')}*"),
        section(say("home.j2", "intro")),
        DividerBlock(),
        section(say("home.j2", "ask")),
        DividerBlock(),
        section(say("home.j2", "check")),
        DividerBlock(),
        section(say("home.j2", "report")),
    ]
    blocks += list(extra)
    blocks.append(context_block(say("home.j2", "footer")))
    if len(blocks) > VIEW_BLOCK_LIMIT:  # never cut silently: say how many were left out
        keep = VIEW_BLOCK_LIMIT - 2
        blocks = blocks[:keep] + [context_block(say("home.j2", "omitted", count=len(blocks) - 1 - keep)), blocks[-1]]
    return View(type="home", blocks=blocks)


def open_incidents_section(incidents: list[Incident], labels: dict[str, str], next_steps: dict[int, Step | None],
                           general_affairs: bool) -> list[Block]:
    """The viewer's open incidents (all open ones for 総務課) for the Home tab."""
    if not incidents:
        return [DividerBlock(), section(say("report.j2", "home_none", general_affairs=general_affairs))]
    blocks: list[Block] = [DividerBlock(), section(say("report.j2", "home_title", general_affairs=general_affairs, count=len(incidents)))]
    for i in incidents[:HOME_LIMIT]:
        blocks += sections(say("report.j2", "home_item", i=i, label=labels.get(i.type, i.type), next_step=next_steps.get(i.id)))
    if len(incidents) > HOME_LIMIT:
        blocks.append(context_block(say("report.j2", "home_more", count=len(incidents) - HOME_LIMIT)))
    return blocks


SOUMU_HOME_LIMIT = 30  # incidents listed for 総務課 (one section each; the view holds 100 blocks)
QUESTIONS_LIMIT = 5


def soumu_incidents_section(items: Sequence[tuple[Incident, str, str, str, int, Step | None]]) -> list[Block]:
    """総務課's Home: every open incident as (incident, type label, thread link, owner's name, age in days,
    next step)."""
    if not items:
        return [DividerBlock(), section(say("report.j2", "home_none", general_affairs=True))]
    blocks: list[Block] = [DividerBlock(), section(say("report.j2", "soumu_title", count=len(items)))]
    for i, label, link, owner, age, step in items[:SOUMU_HOME_LIMIT]:
        safe = link if link.startswith("https://") and not set("<>|") & set(link) else ""
        blocks += sections(say("report.j2", "soumu_item", i=i, label=label, link=safe, owner=owner, age=age, next_step=step))
    if len(items) > SOUMU_HOME_LIMIT:
        blocks.append(context_block(say("report.j2", "home_more", count=len(items) - SOUMU_HOME_LIMIT)))
    return blocks


def questions_section(unanswered: Sequence, downvotes: Sequence) -> list[Block]:
    """総務課's Home: the latest questions Ask could not answer and the latest answers marked 👎."""
    blocks: list[Block] = [DividerBlock(), section(say("home.j2", "unanswered_title"))]
    if unanswered:
        blocks += sections("\n".join(say("home.j2", "unanswered_item", q=q) for q in unanswered[:QUESTIONS_LIMIT]))
    else:
        blocks.append(context_block(say("home.j2", "unanswered_none")))
    blocks.append(section(say("home.j2", "downvotes_title")))
    if downvotes:
        blocks += sections("\n".join(say("home.j2", "downvote_item", d=d) for d in downvotes[:QUESTIONS_LIMIT]))
    else:
        blocks.append(context_block(say("home.j2", "downvotes_none")))
    blocks.append(context_block(say("home.j2", "questions_more")))
    return blocks

