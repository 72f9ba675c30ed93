"""Ack first, work after: every surface is acknowledged while the core is still busy, in both modes.
The core is held on a gate; the acknowledgement must arrive before it is released, the reply after."""

from __future__ import annotations

import threading

import pytest

from bot.screening import Verdict
from bot.search import Answer
from bot.slack import flows
from tests.fakeslack import payloads as P

HOLD = 5.0  # the longest the core is held (the ack must come well before)


@pytest.fixture
def gate(monkeypatch):
    """Hold ask() and check() until released; records that the core was entered."""
    release, entered = threading.Event(), threading.Event()

    def held(result):
        def core(text, *args, **kwargs):
            entered.set()
            release.wait(HOLD)
            return result(text)
        return core

    monkeypatch.setattr(flows, "ask", held(lambda q: Answer(question=q, answered=False, clauses=[], notice="テスト")))
    monkeypatch.setattr(flows, "check", held(lambda t: Verdict("ok", [])))
    yield release, entered
    release.set()


def _acked_before_work(ack, gate, fake_slack, method):
    release, entered = gate
    assert ack.status == 200
    assert ack.seconds < 1.0  # acknowledged although the core holds for HOLD seconds
    assert entered.wait(5), "the work never started"
    assert not release.is_set() and fake_slack.calls_to(method) == []  # no reply yet: the work is still held
    release.set()
    fake_slack.wait_for(method)


def test_direct_message_is_acked_before_the_answer(slack_app, fake_slack, gate):
    _acked_before_work(slack_app.event(P.message_im("勤務中にSNSを見てもいいですか")), gate, fake_slack, "chat.postMessage")


def test_mention_is_acked_before_the_answer(slack_app, fake_slack, gate):
    _acked_before_work(slack_app.event(P.app_mention("<@U0BOT> 勤務中にSNSを見てもいいですか")), gate, fake_slack,
                       "chat.postMessage")


@pytest.mark.parametrize("command", ["/sns-ask", "/sns-check"])
def test_slash_commands_are_acked_before_the_work(slack_app, fake_slack, gate, command):
    ack = slack_app.command(P.slash_command(command, "勤務中にSNSを見てもいいですか", fake_slack.response_url()))
    _acked_before_work(ack, gate, fake_slack, "chat.postEphemeral")


def test_message_shortcut_is_acked_before_the_check(slack_app, fake_slack, gate):
    ack = slack_app.interactive(P.message_shortcut("check_message", "明日の会議の件です。", fake_slack.response_url()))
    _acked_before_work(ack, gate, fake_slack, "chat.postEphemeral")


def test_modal_submission_is_acked_before_the_check(slack_app, fake_slack, gate):
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    values = {"draft": {"text": {"type": "plain_text_input", "value": "明日の会議の件です。"}},
              "account": {"choice": {"type": "radio_buttons", "selected_option": {"value": "official"}}}}
    ack = slack_app.interactive(P.view_submission(opened.params["view"], values))
    assert ack.payload["response_action"] == "update"
    _acked_before_work(ack, gate, fake_slack, "views.update")
