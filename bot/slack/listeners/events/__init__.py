from slack_bolt import App

from bot.slack.listeners.common import ack_now
from bot.slack.listeners.events.app_home_opened import publish_home
from bot.slack.listeners.events.app_mention import handle_mention
from bot.slack.listeners.events.message_im import answer_direct_message
from bot.slack.listeners.events.soumu_reply import relay_soumu_reply


def _register_report() -> None:
    """Report: mentions that report an incident, and the viewer's open incidents on the Home tab."""
    from bot.slack.listeners.events import app_home_opened, app_mention, report_mention

    if ("report", report_mention.is_report) not in app_mention.MENTION_KINDS:
        app_mention.MENTION_KINDS.append(("report", report_mention.is_report))
    app_mention.MENTION_HANDLERS["report"] = report_mention.open_report
    if report_mention.home_section not in app_home_opened.HOME_SECTIONS:
        app_home_opened.HOME_SECTIONS.append(report_mention.home_section)
    from bot.slack import app as app_factory

    if report_mention.flush_outbox_at_start not in app_factory.START_HOOKS:
        app_factory.START_HOOKS.append(report_mention.flush_outbox_at_start)


def register(app: App) -> None:
    _register_report()
    app.event("app_mention")(ack=ack_now, lazy=[handle_mention])
    # every message event is acknowledged (an unhandled one would make Slack retry); DMs are answered,
    # replies in 総務課's threads are relayed to the asker; the rest is ignored
    app.event("message")(ack=ack_now, lazy=[answer_direct_message, relay_soumu_reply])
    app.event("app_home_opened")(ack=ack_now, lazy=[publish_home])
