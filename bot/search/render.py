"""Plain-text rendering of an Answer for the command line; wording in bot/templates/lines.toml."""

from __future__ import annotations

from bot.search.model import Answer
from bot.wording import line


def clause_label(c) -> str:
    head = line("ask", "heading", heading=c.heading) if c.heading and c.heading != c.title else ""
    return line("ask", "clause_label", id=c.id, title=c.title, heading=head)


def render_answer(answer: Answer) -> str:
    if not answer.answered:
        return answer.notice
    lines = [line("ask", "intro"), ""]
    for sc in answer.best:
        c = sc.clause
        lines.append(clause_label(c))
        if sc.summary:
            lines.append(line("ask", "summary", summary=sc.summary))
        if c.parent_text and c.parent and c.parent != c.id.split("(")[0]:
            lines.append(line("ask", "parent", parent=c.parent, parent_text=c.parent_text.splitlines()[0]))
        lines += [line("ask", "quote", line=p) for p in c.text.split("\n")]
        lines.append("")
    related = answer.related
    if related:
        lines.append(line("ask", "related_intro"))
        lines += [line("ask", "related_item", label=clause_label(sc.clause), start=sc.clause.text.splitlines()[0][:40])
                  for sc in related]
        lines.append("")
    from bot.knowledge import general_affairs

    if answer.low_confidence:
        lines.append(line("ask", "low_confidence").replace("総務課", general_affairs()))
    lines.append(line("ask", "footer").replace("総務課", general_affairs()))
    return "\n".join(lines)
