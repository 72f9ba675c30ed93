"""Plain-text Japanese report of a Verdict (the CLI's default output); wording in bot/templates/lines.toml."""

from __future__ import annotations

from bot.screening.model import Verdict
from bot.wording import SEVERITIES, line, severity_label


def render_verdict(verdict: Verdict, labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    lines = []
    counts = {s: sum(1 for f in verdict.findings if f.severity == s) for s in SEVERITIES}
    summary = line("check", "count_separator").join(
        line("check", "count", severity=severity_label(s), count=n) for s, n in counts.items() if n)
    head = line("check", "verdict", verdict=line("check", f"verdict_{verdict.verdict}"))
    lines.append(head + (line("check", "summary", counts=summary) if summary else ""))
    if verdict.notice:
        lines.append(verdict.notice)
    for i, f in enumerate(verdict.findings, start=1):
        label = labels.get(f.category, f.category)
        excerpt = f.excerpt.replace("\n", " ")
        lines.append("")
        lines.append(line("check", "finding", number=i, severity=severity_label(f.severity), clause=f.clause,
                          label=label, excerpt=excerpt, start=f.start + 1, end=f.end))
        lines.append(line("check", "reason", message=f.message))
        lines.append(line("check", "suggestion", suggestion=f.suggestion))
        if f.related:
            lines.append(line("check", "related", clauses=line("check", "related_separator").join(f.related)))
    if verdict.findings or verdict.verdict != "ok":
        lines.append("")
    lines.append(line("check", "footer"))
    return "\n".join(lines)
