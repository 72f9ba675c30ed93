"""All wording shown in Slack comes from jinja2 templates in ``templates/`` (polite Japanese, editable
without touching code). Each template file holds macros; ``say("ask.j2", "intro", ...)`` renders one.

Values inserted into mrkdwn must go through the ``mrkdwn`` filter (escapes & < > so that user text can
never form a mention, a link or a broadcast such as <!channel>).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.wording import severity_label

JST = timezone(timedelta(hours=9))


def escape_mrkdwn(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_date(iso: str | None) -> str:
    """A timestamp shown in each reader's own time zone (Slack date formatting), JST as fallback."""
    if not iso:
        return ""
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return escape_mrkdwn(iso)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    fallback = dt.astimezone(JST).strftime("%Y-%m-%d %H:%M")
    return f"<!date^{int(dt.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


# Every filter a template uses, registered when the environment is built (a template compiled before a
# filter is added fails with TemplateAssertionError, e.g. report.j2 in a fresh process).
FILTERS = {"mrkdwn": escape_mrkdwn, "slack_date": slack_date}


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.slack", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(FILTERS)
    env.globals["severity_label"] = severity_label
    return env


def say(template: str, macro: str, **values) -> str:
    """Render one macro of one template, stripped of surrounding whitespace."""
    module = _env().get_template(template).module
    return str(getattr(module, macro)(**values)).strip()
