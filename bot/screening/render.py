"""Plain-text Japanese report of a Verdict (the CLI's default output)."""

from __future__ import annotations

from bot.screening.model import Verdict

VERDICT_TEXT = {
    "block": "投稿前に修正が必要です。",
    "warn": "確認が必要な箇所があります。",
    "ok": "ガイドラインに照らして問題となる箇所は見つかりませんでした。",
}
SEVERITY_TEXT = {"block": "要修正", "warn": "要確認", "info": "参考"}
FOOTER = "※ 機械による確認の目安です。判断に迷うときは、所属課局長または総務課に相談してください。"


def render_verdict(verdict: Verdict, labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    lines = []
    counts = {s: sum(1 for f in verdict.findings if f.severity == s) for s in SEVERITY_TEXT}
    summary = "・".join(f"{SEVERITY_TEXT[s]} {n}件" for s, n in counts.items() if n)
    lines.append(f"判定: {VERDICT_TEXT[verdict.verdict]}" + (f"（{summary}）" if summary else ""))
    if verdict.notice:
        lines.append(verdict.notice)
    for i, f in enumerate(verdict.findings, start=1):
        label = labels.get(f.category, f.category)
        excerpt = f.excerpt.replace("\n", " ")
        lines.append("")
        lines.append(f"{i}. [{SEVERITY_TEXT[f.severity]}] {f.clause} {label}: 「{excerpt}」（{f.start + 1}〜{f.end}文字目）")
        lines.append(f"   理由: {f.message}")
        lines.append(f"   対処: {f.suggestion}")
        if f.related:
            lines.append(f"   関連する条項: {'、'.join(f.related)}")
    if verdict.findings or verdict.verdict != "ok":
        lines.append("")
    from bot.knowledge import general_affairs

    lines.append(FOOTER.replace("総務課", general_affairs()))
    return "\n".join(lines)
