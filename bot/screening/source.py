"""Reading the screening knowledge files: one parsed TOML file that knows its lines, and the helpers the
rules and the laws share (word lists, alternations, the matching spec, examples checked at load). Errors name
the file and the line (``RulesError``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserError
from bot.screening.matcher import rule_catches
from bot.screening.model import SEVERITIES
from bot.screening.normalize import normalize_term

ACCOUNTS = ("both", "official", "private")  # whom a rule or a law applies to


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


@dataclass(frozen=True)
class Matching:
    """What a rule or a law matches (``terms``/``patterns``, ``near``/``near_patterns``, ``unless``) and its
    ``severity`` and ``account``, validated."""

    regexes: tuple[re.Pattern, ...]  # the terms as one alternation, then each pattern (kept apart: much faster)
    near: re.Pattern | None
    unless: re.Pattern | None
    severity: str | None
    account: str


def matching(src: Source, item: dict, line: int, what: str, no_terms: str) -> Matching:
    """The matching spec of one ``[[rule]]`` / ``[[law]]`` table; ``what`` names it in a compile error,
    ``no_terms`` is the error when it has neither terms nor patterns."""
    terms = str_list(src, item.get("terms", []), "terms", line)
    patterns = str_list(src, item.get("patterns", []), "patterns", line)
    if not terms and not patterns:
        raise src.error(line, no_terms)
    near_patterns = str_list(src, item.get("near_patterns", []), "near_patterns", line)
    for p in patterns + near_patterns:
        try:
            re.compile(p)
        except re.error as err:
            raise src.error(src.line_of(p, line) or line, f"正規表現「{p}」が正しくありません（{err}）。") from None
        if re.search(r"(?<!\\)\\b", p):
            raise src.error(src.line_of(p, line) or line, f"正規表現「{p}」に \\b は使えません（日本語では単語の区切りになりません）。")
    regexes = tuple(compile_parts(src, [p], line, what) for p in ([alternation(terms)] if terms else []) + patterns)
    near = str_list(src, item.get("near", []), "near", line)
    unless = str_list(src, item.get("unless", []), "unless", line)
    sev = item.get("severity")
    if sev is not None and sev not in SEVERITIES:
        raise src.error(src.line_of("severity", line) or line, "severity は block / warn / info のどれかにしてください。")
    account = item.get("account", "both")
    if account not in ACCOUNTS:
        raise src.error(src.line_of("account", line) or line, "account は both / official / private のどれかにしてください。")
    return Matching(
        regexes=regexes,
        near=compile_parts(src, ([alternation(near)] if near else []) + near_patterns, line, "near") if near or near_patterns else None,
        unless=re.compile(alternation(unless)) if unless else None,
        severity=sev, account=account,
    )


def examples(src: Source, item: dict, line: int, none: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(examples, not_examples) of one table; ``none`` is the error when it has no examples."""
    exs = str_list(src, item.get("examples", []), "examples", line)
    nots = str_list(src, item.get("not_examples", []), "not_examples", line)
    if not exs:
        raise src.error(line, none)
    return tuple(exs), tuple(nots)


def check_examples(src: Source, entry, line: int, missed: str, caught: str) -> None:
    """A rule or law must find each of its examples alone and none of its not-examples; the first that fails
    stops the load, said by ``missed`` / ``caught`` (templates with ``{id}`` and ``{ex}``)."""
    for ex in entry.examples:
        if not rule_catches(entry, ex):
            raise src.error(src.line_of("examples", line) or line, missed.format(id=entry.id, ex=ex))
    for ex in entry.not_examples:
        if rule_catches(entry, ex):
            raise src.error(src.line_of("not_examples", line) or line, caught.format(id=entry.id, ex=ex))
