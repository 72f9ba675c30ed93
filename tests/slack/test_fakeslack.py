"""The fake Slack itself behaves like Slack where the app and the tests rely on it."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from tests.fakeslack.api import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.fakeslack.drivers import sign


def test_records_calls_with_decoded_blocks(fake_slack):
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.url, retry_handlers=[])
    resp = client.chat_postMessage(channel="C1", text="t", blocks=[{"type": "divider"}])
    assert resp["ok"] and resp["channel"] == "C1" and resp["ts"]
    [call] = fake_slack.calls_to("chat.postMessage")
    assert call.params["blocks"] == [{"type": "divider"}]
    assert call.headers["authorization"] == f"Bearer {BOT_TOKEN}"


def test_injected_errors_apply_to_the_next_calls_only(fake_slack):
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.url, retry_handlers=[])
    fake_slack.fail_next("chat.postEphemeral", "channel_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            client.chat_postEphemeral(channel="C1", user="U1", text="t")
        assert err.value.response["error"] == "channel_not_found"
    assert client.chat_postEphemeral(channel="C1", user="U1", text="t")["ok"]


def test_rate_limit_answers_429_with_retry_after(fake_slack):
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.url, retry_handlers=[])
    fake_slack.rate_limit_next("views.publish", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert err.value.response.status_code == 429 and err.value.response.headers["Retry-After"] == "7"


def test_tokens_are_checked(fake_slack):
    with pytest.raises(SlackApiError):
        WebClient(token="xoxb-other", base_url=fake_slack.url, retry_handlers=[]).auth_test()
    with pytest.raises(SlackApiError):  # apps.connections.open needs the app-level token
        WebClient(token=BOT_TOKEN, base_url=fake_slack.url, retry_handlers=[]).apps_connections_open(app_token=BOT_TOKEN)


def test_socket_url_comes_from_apps_connections_open(fake_slack, fake_socket):
    resp = WebClient(base_url=fake_slack.url).apps_connections_open(app_token=APP_TOKEN)
    assert resp["url"].startswith("ws://127.0.0.1:")


def test_wait_for_times_out_with_what_was_seen(fake_slack):
    with pytest.raises(AssertionError, match="chat.update"):
        fake_slack.wait_for("chat.update", timeout=0.05)


def test_signatures_are_slacks_v0():
    headers = sign(SIGNING_SECRET, "a=b", timestamp=1_700_000_000)
    assert headers["X-Slack-Signature"].startswith("v0=")
    verifier = SignatureVerifier(SIGNING_SECRET, clock=type("C", (), {"now": lambda self: 1_700_000_010})())
    assert verifier.is_valid("a=b", headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])


def test_block_kit_limits_are_refused_like_slack():
    from tests.fakeslack.api import FakeSlackAPI

    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    long_context = {"type": "context", "elements": [{"type": "mrkdwn", "text": "x" * 3001}]}
    big_button = {"type": "actions", "elements": [{"type": "button", "action_id": "a", "value": "v" * 2001,
                                                   "text": {"type": "plain_text", "text": "b"}}]}
    with FakeSlackAPI() as api:  # not the fixture: that one fails the test on any refusal
        client = WebClient(token=BOT_TOKEN, base_url=api.url, retry_handlers=[])
        assert client.chat_postMessage(channel="C1", text="t", blocks=[section] * 50)["ok"]
        assert client.views_publish(user_id="U1", view={"type": "home", "blocks": [section] * 100})["ok"]
        for blocks in ([section] * 51, [too_long], [long_context], [big_button]):
            with pytest.raises(SlackApiError) as err:
                client.chat_postMessage(channel="C1", text="t", blocks=blocks)
            assert err.value.response["error"] == "invalid_blocks"
        with pytest.raises(SlackApiError):
            client.views_publish(user_id="U1", view={"type": "home", "blocks": [section] * 101})
        assert len(api.refusals) == 5
