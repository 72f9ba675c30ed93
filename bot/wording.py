"""Japanese lines of the core and the command line, and the labels shared with Slack, from
bot/templates/lines.toml (stdlib only, so the CLI's cold start stays light; Slack's own wording is in
bot/slack/templates/*.j2)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LINES_FILE = Path(__file__).resolve().parent / "templates" / "lines.toml"


@lru_cache(maxsize=1)
def _lines() -> dict[str, dict[str, str]]:
    return tomllib.loads(LINES_FILE.read_text(encoding="utf-8"))


def line(section: str, key: str, **values) -> str:
    """One line of lines.toml with its {placeholders} filled in."""
    text = _lines()[section][key]
    return text.format(**values) if values else text


def severity_label(severity: str) -> str:
    """⛔ 投稿不可 / ⚠️ 要確認 / ℹ️ 参考: the one label of a finding's severity (block / warn / info)."""
    return _lines()["severity"].get(severity, severity)


SEVERITIES = ("block", "warn", "info")


def table(*path: str) -> dict[str, str]:
    """A (nested) table of lines.toml, e.g. table("record", "csv")."""
    node: dict = _lines()
    for key in path:
        node = node[key]
    return {k: v for k, v in node.items() if isinstance(v, str)}
