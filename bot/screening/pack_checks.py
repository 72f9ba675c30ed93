"""Pack checks of Check's own knowledge files: the rules, laws, detectors and links load, and every rule
and law finds its examples and none of its not_examples (the first problem, with file and line)."""

from __future__ import annotations

from collections.abc import Iterator

from bot.knowledge.checks import Problem, checker
from bot.knowledge.pack import Pack


@checker
def screening_rules(pack: Pack) -> Iterator[Problem]:
    from bot.screening.rules import load
    from bot.screening.source import RulesError

    try:
        load(pack.path("screening"))
    except RulesError as err:
        yield Problem("", 0, str(err))  # the message already names the file and line
