"""Reliability and security: retries and duplicates, Web API errors and 429, crashes, signatures."""

import json
import time
from urllib.parse import urlencode

import pytest

from bot.slack import flows
from tests.fakeslack import payloads as P
from tests.fakeslack.api import SIGNING_SECRET

WORK_HOURS = "勤務中にSNSを見てもいいですか"


def test_retried_event_gets_one_reply(slack_app, fake_slack):
    body = P.message_im(WORK_HOURS)
    assert slack_app.event(body).status == 200
    fake_slack.wait_for("chat.postMessage")
    assert slack_app.event(body, retry_num=1).status == 200  # Slack retries with the same event_id
    assert slack_app.event(body, retry_num=2).status == 200
    fake_slack.assert_no_more("chat.postMessage", 1)


def test_duplicate_event_after_restart_gets_no_second_reply(slack_app, fake_slack):
    body = P.app_mention(f"<@U0BOT> {WORK_HOURS}")
    slack_app.event(body)
    fake_slack.wait_for("chat.postMessage")
    slack_app.restart()
    slack_app.event(body, retry_num=1)
    fake_slack.assert_no_more("chat.postMessage", 1)


def test_rate_limited_post_is_retried_after_retry_after(slack_app, fake_slack):
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    slack_app.event(P.message_im(WORK_HOURS))
    first, second = fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
    assert second.at - first.at >= 1.0
    assert "【8(1)⑤】" in json.dumps(second.params["blocks"], ensure_ascii=False)
    fake_slack.assert_no_more("chat.postMessage", 2)


def test_server_error_is_retried(slack_app, fake_slack):
    fake_slack.fail_next("chat.postEphemeral", "internal_error", status=500)
    slack_app.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()))
    calls = fake_slack.wait_for("chat.postEphemeral", count=2, timeout=10)
    assert "【8(1)⑤】" in json.dumps(calls[1].params["blocks"], ensure_ascii=False)


def test_api_error_is_reported_to_the_user_in_japanese(slack_app, fake_slack):
    fake_slack.fail_next("chat.postMessage", "invalid_blocks")
    slack_app.event(P.message_im(WORK_HOURS))
    failed, apology = fake_slack.wait_for("chat.postMessage", count=2)
    assert "blocks" in failed.params
    assert "申し訳ありません" in apology.params["text"] and "invalid_blocks" in apology.params["text"]
    assert apology.params["channel"] == P.DM
    # the process keeps serving
    slack_app.event(P.message_im(WORK_HOURS))
    fake_slack.wait_for("chat.postMessage", count=3)


def test_ephemeral_error_is_reported_to_the_user(slack_app, fake_slack):
    fake_slack.fail_next("chat.postEphemeral", "invalid_blocks")
    slack_app.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()))
    _, apology = fake_slack.wait_for("chat.postEphemeral", count=2)
    assert "申し訳ありません" in apology.params["text"] and apology.params["user"] == P.STAFF


def test_crash_in_the_core_is_reported_and_the_app_keeps_running(slack_app, fake_slack, monkeypatch):
    real = flows.ask

    def broken(question):
        raise RuntimeError("boom")

    monkeypatch.setattr(flows, "ask", broken)
    slack_app.event(P.message_im(WORK_HOURS))
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "処理中に問題が発生しました" in call.params["text"]
    monkeypatch.setattr(flows, "ask", real)
    slack_app.event(P.message_im(WORK_HOURS))
    [_, answer] = fake_slack.wait_for("chat.postMessage", count=2)
    assert "【8(1)⑤】" in json.dumps(answer.params["blocks"], ensure_ascii=False)


def test_failed_modal_open_is_reported(slack_app, fake_slack):
    fake_slack.fail_next("views.open", "expired_trigger_id")
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert "expired_trigger_id" in call.params["text"]


# ---------------------------------------------------------------- HTTP only: signatures and request handling


@pytest.fixture
def http_app(fake_slack, fake_socket):
    from tests.fakeslack.harness import RunningApp

    app = RunningApp("http", fake_slack)
    yield app
    app.stop()


def test_bad_signature_is_refused(http_app, fake_slack):
    body = P.message_im(WORK_HOURS)
    assert http_app.driver.event(body, secret="wrong-secret").status == 401
    assert http_app.driver.event(body, signed=False).status == 401
    fake_slack.assert_no_more("chat.postMessage", 0)


def test_stale_signature_is_refused(http_app, fake_slack):
    body = P.message_im(WORK_HOURS)
    assert http_app.driver.event(body, timestamp=int(time.time()) - 6 * 60).status == 401
    assert http_app.driver.command(P.slash_command("/sns-ask", WORK_HOURS, fake_slack.response_url()),
                                   timestamp=int(time.time()) - 6 * 60).status == 401
    assert http_app.driver.event(body, timestamp=int(time.time()) - 60).status == 200  # within 5 minutes
    fake_slack.wait_for("chat.postMessage")


def test_tampered_body_is_refused(http_app, fake_slack):
    from tests.fakeslack.drivers import sign

    body = json.dumps(P.message_im(WORK_HOURS), ensure_ascii=False)
    headers = sign(SIGNING_SECRET, body)
    ack = http_app.driver.post(body.replace("勤務中", "休日"), "application/json", headers=headers, signed=False)
    assert ack.status == 401


def test_url_verification_challenge(http_app):
    ack = http_app.driver.event({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                                 "type": "url_verification"})
    assert ack.status == 200 and ack.payload == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_broken_payloads_do_not_crash_the_server(http_app, fake_slack):
    assert http_app.driver.post("{not json", "application/json").status in (400, 401)
    assert http_app.driver.post(urlencode({"payload": "{broken"}), "application/x-www-form-urlencoded").status in (400, 401)
    assert http_app.driver.post("\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), "text/plain").status in (400, 401, 404)
    http_app.event(P.message_im(WORK_HOURS))
    fake_slack.wait_for("chat.postMessage")


def test_only_slack_events_path_is_served(http_app):
    import urllib.error
    import urllib.request

    base = http_app.url.rsplit("/slack/events", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(urllib.request.Request(base + "/other", data=b"{}", method="POST"), timeout=5)
    assert err.value.code == 404
    assert urllib.request.urlopen(base + "/healthz", timeout=5).read() == b"ok"


def test_start_hooks_run_and_a_failing_one_does_not_stop_the_start(fake_slack, monkeypatch):
    from tests.fakeslack.harness import RunningApp

    ran = []

    def broken(app):
        raise RuntimeError("outbox unavailable")

    running = RunningApp("http", fake_slack, start_hooks=[broken, lambda app: ran.append(app)])
    try:
        assert ran == [running.app]
        running.event(P.message_im(WORK_HOURS))
        fake_slack.wait_for("chat.postMessage")
    finally:
        running.stop()


def test_incomplete_payloads_are_acked_and_do_not_stop_the_app(slack_app, fake_slack):
    assert slack_app.interactive({"type": "message_action", "callback_id": "check_message"}).status == 200
    assert slack_app.interactive({"type": "block_actions", "actions": [{"action_id": "feedback_up"}]}).status == 200
    assert slack_app.event(P.event_callback({"type": "app_mention"})).status == 200
    slack_app.event(P.message_im(WORK_HOURS))
    fake_slack.wait_for("chat.postMessage", where=lambda c: "8(1)⑤" in json.dumps(c.params.get("blocks"), ensure_ascii=False))


def test_socket_mode_reconnects_when_slack_asks_for_a_refresh(fake_slack, fake_socket):
    from tests.fakeslack.harness import RunningApp

    running = RunningApp("socket", fake_slack, fake_socket)
    try:
        fake_socket.request_refresh()
        fake_socket.wait_connects(2)
        assert len(fake_slack.calls_to("apps.connections.open")) == 2
        running.event(P.message_im(WORK_HOURS))
        fake_slack.wait_for("chat.postMessage")
    finally:
        running.stop()
