"""Every malformed request gets 2xx or 4xx, never 5xx, and the app keeps serving."""

import json
from urllib.parse import urlencode

import pytest

from tests.fakeslack import payloads as P
from tests.fakeslack.harness import RunningApp


@pytest.fixture
def http_app(fake_slack, fake_socket):
    app = RunningApp("http", fake_slack, fake_socket)
    yield app
    app.stop()


def _ok_status(status: int) -> bool:
    return 200 <= status < 500


def test_empty_actions_unknown_callback_id_and_broken_bodies_never_get_5xx(http_app, fake_slack):
    d = http_app.driver
    message = {"ts": "1.0", "blocks": []}
    empty = P.block_actions("report_step_0", "1:0", message, fake_slack.response_url())
    empty["actions"] = []
    no_actions = dict(empty)
    no_actions.pop("actions")
    unknown_view = P.view_submission({"callback_id": "no_such_modal", "id": "V1"}, {})
    odd = [
        d.interactive(empty),
        d.interactive(no_actions),
        d.interactive({**empty, "actions": ["not-a-dict"]}),
        d.interactive(unknown_view),
        d.interactive({"type": "view_submission"}),
        d.interactive({"type": "block_actions", "actions": [{"action_id": "report_step_0"}]}),
        d.interactive({"type": "block_actions", "actions": [{"action_id": "report_offer_file"}]}),
        d.interactive(P.block_actions("report_offer_file", "not-an-offer", message, fake_slack.response_url(),
                                      block_id="report_offer")),
        d.interactive(P.block_actions("report_offer_question", "999", message, fake_slack.response_url(),
                                      block_id="report_offer")),
        d.post("{not json", "application/json"),
        d.post("[]", "application/json"),
        d.post(json.dumps({"type": "event_callback", "event": "oops", "event_id": "Ev1"}), "application/json"),
        d.post(json.dumps({"type": "event_callback"}), "application/json"),
        d.post(urlencode({"payload": "{broken"}), "application/x-www-form-urlencoded"),
        d.post("", "application/json"),
        d.post(json.dumps({"type": "url_verification", "challenge": "abc"}), "application/json"),
        d.post(json.dumps(P.message_im("こんにちは")), "application/json", signed=False,
               headers={"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=00"}),
        d.post(json.dumps(P.message_im("こんにちは")), "application/json", signed=False,
               headers={"X-Slack-Request-Timestamp": "", "X-Slack-Signature": "v0=00"}),
    ]
    assert all(_ok_status(a.status) for a in odd), [a.status for a in odd]
    ts_header = odd[-1]
    assert ts_header.status == 401
    # still serving
    assert http_app.event(P.message_im("勤務中にSNSを見てもいいですか")).status == 200
    fake_slack.wait_for("chat.postMessage")


def test_malformed_socket_mode_envelopes_are_acked_and_the_link_keeps_serving(fake_slack, fake_socket):
    app = RunningApp("socket", fake_slack, fake_socket)
    try:
        message = {"ts": "1.0", "blocks": []}
        empty = P.block_actions("report_step_0", "1:0", message, fake_slack.response_url())
        empty["actions"] = []
        assert app.interactive(empty).status == 200
        assert app.interactive(P.view_submission({"callback_id": "no_such_modal", "id": "V1"}, {})).status == 200
        assert app.event(P.message_im("勤務中にSNSを見てもいいですか")).status == 200
        fake_slack.wait_for("chat.postMessage")
    finally:
        app.stop()
