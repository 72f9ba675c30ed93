"""Draft → Findings → Verdict. Plain data, no Slack types; JSON shape is the `check --json` contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("block", "warn", "info")


@dataclass(frozen=True)
class Finding:
    clause: str  # the most specific clause id, e.g. 6(2), 7(1)③, 8(3)②ウ
    category: str  # short machine name, e.g. personal_info, politics
    severity: str  # block | warn | info
    start: int  # offsets into the original draft text: text[start:end] == excerpt
    end: int
    excerpt: str
    message: str  # why, in polite Japanese
    suggestion: str  # what to do, in polite Japanese
    related: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Verdict:
    verdict: str  # ok | warn | block
    findings: list[Finding] = field(default_factory=list)
    notice: str = ""  # a note for the user about the input itself (empty, truncated...), polite Japanese

    def to_dict(self) -> dict:
        d = {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}
        if self.notice:
            d["notice"] = self.notice
        return d
