"""All wording shown in Slack comes from jinja2 templates in ``templates/`` (polite Japanese, editable
without touching code). Each template file holds macros; ``say("ask.j2", "intro", ...)`` renders one.

Values inserted into mrkdwn must go through the ``mrkdwn`` filter (escapes & < > so that user text can
never form a mention, a link or a broadcast such as <!channel>).
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined


def escape_mrkdwn(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.slack", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["mrkdwn"] = escape_mrkdwn
    return env


def say(template: str, macro: str, **values) -> str:
    """Render one macro of one template, stripped of surrounding whitespace."""
    module = _env().get_template(template).module
    return str(getattr(module, macro)(**values)).strip()
