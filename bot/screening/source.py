"""Reading the screening knowledge files: one parsed TOML file that knows its lines, and the helpers the
rules and the laws share (word lists, alternations). Errors name the file and the line (``RulesError``)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import UserError
from bot.screening.normalize import normalize_term


class RulesError(UserError):
    """A knowledge file for screening is malformed; the message names the file and line."""


class Source:
    def __init__(self, path: Path, name: str = ""):
        self.path = path
        self.name = name or f"{path.parent.name}/{path.name}"
        from bot.knowledge.read import KnowledgeError, parse_toml, read_text

        try:
            self.raw = read_text(path, self.name)
            self.lines = self.raw.splitlines()
            self.data = parse_toml(self.raw, self.name)
        except KnowledgeError as err:
            raise RulesError(str(err)) from None

    def line_of(self, needle: str, after: int = 0) -> int:
        """1-based line of the first line at or after ``after`` containing ``needle`` (0 if none)."""
        for i in range(max(after - 1, 0), len(self.lines)):
            if needle in self.lines[i]:
                return i + 1
        return 0

    def header_line(self, header: str, nth: int = 0) -> int:
        seen = -1
        for i, line in enumerate(self.lines):
            if line.strip() == header:
                seen += 1
                if seen == nth:
                    return i + 1
        return 0

    def error(self, line: int, msg: str) -> RulesError:
        where = f" {line}行目" if line else ""
        return RulesError(f"{self.name}{where}: {msg}")


def str_list(src: Source, value, key: str, line: int) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise src.error(src.line_of(key, line) or line, f"「{key}」は文字列のリスト（[\"語1\", \"語2\"]）で書いてください。")
    for v in value:
        if not v.strip():
            raise src.error(src.line_of(key, line) or line, f"「{key}」に空の文字列があります。")
    return value


def alternation(terms: list[str]) -> str:
    norm = sorted({normalize_term(t) for t in terms}, key=len, reverse=True)
    return "|".join(re.escape(t) for t in norm)


def compile_parts(src: Source, parts: list[str], line: int, what: str) -> re.Pattern:
    try:
        return re.compile("|".join(f"(?:{p})" for p in parts if p))
    except re.error as err:
        raise src.error(line, f"{what}の正規表現が正しくありません（{err}）。") from None
