"""Plain-text rendering of an Answer for the command line."""

from __future__ import annotations

from bot.search.model import Answer

LOW_CONFIDENCE = "※ この回答は確かではありません。条文が質問に当てはまるか、総務課にご確認ください。"
FOOTER = "※ ガイドラインの解釈や、ここにない事項については総務課にご相談ください。"


def clause_label(c) -> str:
    head = f"　{c.heading}" if c.heading and c.heading != c.title else ""
    return f"【{c.id}】{c.title}{head}"


def render_answer(answer: Answer) -> str:
    if not answer.answered:
        return answer.notice
    lines = ["ガイドラインの該当箇所です（条文はそのまま引用しています）。", ""]
    for sc in answer.best:
        c = sc.clause
        lines.append(clause_label(c))
        if sc.summary:
            lines.append(f"　ひとことで言うと: {sc.summary}")
        if c.parent_text and c.parent and c.parent != c.id.split("(")[0]:
            lines.append(f"（{c.parent}：{c.parent_text.splitlines()[0]}）")
        lines += [f"　「{p}」" for p in c.text.split("\n")]
        lines.append("")
    if answer.low_confidence:
        lines.append(LOW_CONFIDENCE)
    lines.append(FOOTER)
    return "\n".join(lines)
