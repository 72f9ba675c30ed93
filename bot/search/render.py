"""Plain-text rendering of an Answer for the command line."""

from __future__ import annotations

from bot.search.model import Answer

FOOTER = "※ ガイドラインの解釈や、ここにない事項については総務課にご相談ください。"


def clause_label(c) -> str:
    head = f"　{c.heading}" if c.heading and c.heading != c.title else ""
    return f"【{c.id}】{c.title}{head}"


def render_answer(answer: Answer) -> str:
    if not answer.answered:
        return answer.notice
    lines = ["ガイドラインの該当箇所です。", ""]
    for sc in answer.best:
        c = sc.clause
        lines.append(clause_label(c))
        if c.parent_text and c.parent and c.parent != c.id.split("(")[0]:
            lines.append(f"（{c.parent}：{c.parent_text.splitlines()[0]}）")
        lines += [f"　「{p}」" for p in c.text.split("\n")]
        lines.append("")
    related = answer.related
    if related:
        lines.append("関連する条項:")
        lines += [f"・{clause_label(sc.clause)}：{sc.clause.text.splitlines()[0][:40]}…" for sc in related]
        lines.append("")
    from bot.knowledge import general_affairs

    lines.append(FOOTER.replace("総務課", general_affairs()))
    return "\n".join(lines)
