"""Pack checks of Report's own knowledge files: the notice templates (knowledge/notices/*.j2)."""

from __future__ import annotations

from collections.abc import Iterator

from bot.knowledge.checks import Problem, checker
from bot.knowledge.pack import Pack
from bot.knowledge.read import read_text


@checker
def notice_templates(pack: Pack) -> Iterator[Problem]:
    """Each notice template parses, uses only the names a draft provides and renders (file and line)."""
    from bot.incidents.notices import KINDS, template_problems

    for relpath in KINDS.values():
        path = pack.dir / relpath
        if not path.is_file():
            continue  # optional: the buttons then say the template is missing
        text = read_text(path, relpath)
        for line, message in template_problems(pack.dir, relpath, text):
            yield Problem(relpath, line, message)
