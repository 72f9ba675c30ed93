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
