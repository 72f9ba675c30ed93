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


def test_who_and_where_from_any_interaction_payload():
    from bot.slack.listeners.common import interaction
    from tests.fakeslack import payloads

    click = payloads.block_actions("report_step_0", "1:0", {"ts": "1.0"}, "https://hooks.example/r", user="U2",
                                   channel="C2")
    who = interaction(click)
    assert (who.user, who.channel, who.response_url) == ("U2", "C2", "https://hooks.example/r")
    del click["channel"]  # some clicks carry the channel only in the container
    assert interaction(click).channel == "C2"
    shortcut = payloads.message_shortcut("report_message", "本文", "https://hooks.example/r", user="U3")
    assert interaction(shortcut).message["text"] == "本文"
    broken = interaction({"type": "block_actions", "user": None})
    assert (broken.user, broken.channel, broken.response_url, broken.message) == ("", "", None, {})


def test_check_modal_values_default_to_the_official_account():
    from bot.slack.blocks.check import modal_values
    from bot.slack.ids import ACCOUNT_ACTION, ACCOUNT_BLOCK, DRAFT_ACTION, DRAFT_BLOCK

    def view(draft, account):
        return {"state": {"values": {DRAFT_BLOCK: {DRAFT_ACTION: {"value": draft}},
                                     ACCOUNT_BLOCK: {ACCOUNT_ACTION: {"selected_option": {"value": account}}}}}}

    assert modal_values(view("下書き", "private")) == ("下書き", "private")
    assert modal_values(view("下書き", "someone-else")) == ("下書き", "official")
    assert modal_values(view(None, None)) == ("", "official")
    assert modal_values({}) == ("", "official")


def test_step_values_round_trip_and_malformed_ones_are_refused():
    import pytest

    from bot.slack.blocks.report import parse_step_value, step_value

    assert parse_step_value(step_value(12, 3)) == (12, 3)
    for bad in ("", "not-a-step", "1:", ":2", "a:b"):
        with pytest.raises(ValueError):
            parse_step_value(bad)


def test_feedback_values_round_trip_and_malformed_ones_are_refused():
    import pytest

    from bot.slack.blocks.ask import feedback_value, parse_feedback_value

    assert parse_feedback_value(feedback_value("勤務中に？", ["8(1)⑤"])) == ("勤務中に？", ["8(1)⑤"])
    with pytest.raises(ValueError):
        parse_feedback_value('{"q": 1, "c": "x"}')
