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


def jst_day(value) -> str:
    """A date (YYYY-MM-DD or a time) as 「2026年12月2日」: a calendar day needs no time zone conversion."""
    from bot.incidents.when import seireki

    return seireki(value)


# Every filter a template uses, registered when the environment is built (a template compiled before a
# filter is added fails with TemplateAssertionError, e.g. report.j2 in a fresh process).
FILTERS = {"mrkdwn": escape_mrkdwn, "slack_date": slack_date, "jst_day": jst_day}


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


def pack_names() -> dict[str, object]:
    """The names every template may use, from the knowledge pack: ``town``, ``guideline_title``,
    ``general_affairs`` (the name of its 総務課) and ``report_clauses`` (the clauses that ask staff not to
    rebut, as this guideline numbers them)."""
    from bot.knowledge import current_pack

    try:
        pack = current_pack()
    except Exception:  # noqa: BLE001 - wording never fails: neutral names (serve refuses a broken pack anyway)
        return {"town": "町", "guideline_title": "ガイドライン", "general_affairs": "総務課", "report_clauses": []}
    try:
        from bot.incidents import types

        rebut = types.load().do_not_rebut
    except Exception:  # noqa: BLE001
        rebut = ()
    return {
        "town": pack.town,
        "guideline_title": pack.guideline_title,
        "general_affairs": pack.general_affairs,
        "report_clauses": [c for c in (pack.resolve(x) for x in rebut) if c],
    }


def say(template: str, macro: str, **values) -> str:
    """Render one macro of one template, stripped of surrounding whitespace."""
    module = _env().get_template(template).make_module(pack_names())
    return str(getattr(module, macro)(**values)).strip()
