"""The pure helpers of the listeners (no Slack, no fakes): mention routing, modal values, step values."""

from __future__ import annotations

from bot.slack.app import MENTION_ROUTES
from bot.slack.listeners.events.app_mention import ASK, MentionRoute, route_mention


def _mention(text: str) -> dict:
    return {"type": "app_mention", "text": text, "user": "U1", "channel": "C1", "ts": "1.0"}


def test_a_mention_goes_to_the_first_route_that_accepts_it_with_the_mentions_removed():
    seen = []
    routes = [MentionRoute("a", lambda t: seen.append(t) or "x.com" in t, print),
              MentionRoute("b", lambda t: True, print)]
    route, text = route_mention(_mention("<@U0BOT> 見て <https://x.com/a|x.com/a>"), routes)
    assert route.kind == "a" and text == "見て <https://x.com/a|x.com/a>"
    assert seen == ["見て https://x.com/a"]  # routes test the plain text


def test_a_mention_no_route_accepts_is_a_question():
    route, text = route_mention(_mention("<@U0BOT> 勤務中にSNSを見てもいいですか"), [MentionRoute("r", lambda t: False, print)])
    assert route is ASK and text == "勤務中にSNSを見てもいいですか"
    assert route_mention(_mention("<@U0BOT>"), [])[0] is ASK


def test_the_app_routes_reports_to_report_and_questions_to_ask():
    assert route_mention(_mention("<@U0BOT> Xで町の偽アカウントを見つけました"), MENTION_ROUTES)[0].kind == "report"
    assert route_mention(_mention("<@U0BOT> なりすましって何ですか"), MENTION_ROUTES)[0] is ASK
