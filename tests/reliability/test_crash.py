"""kill -9 of a `serve --http` subprocess at every step of a report — the mention (its Offer) and the
reporter's 「報告する」 click (the incident) — and of a checklist click: after the restart (and Slack's retry of
an unacknowledged event, or the user's second click when the first got no answer) there is exactly one offer,
exactly one incident, exactly one thread reply, and it tags the reporter's department head and 総務課."""

from __future__ import annotations

import copy
import json
import os
import signal
import time

import pytest

from bot import store
from bot.incidents import incidents, records
from tests.fakeslack import payloads as P
from tests.reliability.served import Served, until

BOT = "<@U0BOT>"
REPORT = f"{BOT} Xで町の偽アカウントを見つけました https://x.com/urausu_fake"
# accept.*: on the ack path (inside / just after the transaction that stores event id + incident + Delivery);
# deliver.*: in the delivery, just before chat.postMessage and just after Slack posted (before it is marked);
# slack: Slack posted the reply but the app is killed before the answer reaches it.
REPORT_POINTS = ["accept.before_commit", "accept.after_commit", "deliver.before_post", "deliver.after_post", "slack"]


@pytest.fixture
def served(fake_slack, directory_file):
    s = Served(fake_slack)
    yield s
    s.stop()
    store.close_all()


def _kill_when_slack_answers(fake_slack, served, method):
    def kill(call):
        fake_slack.before_answer.pop(method, None)
        os.kill(served.proc.pid, signal.SIGKILL)
    fake_slack.before_answer[method] = kill


def _settled(fake_slack, ts: str) -> None:
    assert until(lambda: _replies(fake_slack, ts) and records.pending() == [])
    time.sleep(0.15)  # nothing else arrives later


def _assert_one_reply(fake_slack, ts: str) -> dict:
    assert len(incidents()) == 1
    [reply] = _replies(fake_slack, ts)
    shown = reply["text"] + json.dumps(reply.get("blocks"), ensure_ascii=False)
    assert "<@USANHEAD>" in shown and "<@UGAHEAD>" in shown  # the head and 総務課 are tagged
    return reply


def _kind(message: dict) -> str:
    return ((message.get("metadata") or {}).get("event_payload") or {}).get("kind", "")


def _offers(fake_slack, ts: str) -> list[dict]:
    return [m for m in fake_slack.thread_replies(P.CHANNEL, ts) if _kind(m) == "offer"]


def _replies(fake_slack, ts: str) -> list[dict]:
    return [m for m in fake_slack.thread_replies(P.CHANNEL, ts) if _kind(m) != "offer"]


def _offered(served, fake_slack, body, point: str = "") -> dict:
    """The mention → its offer, killed at ``point`` (or not): exactly one offer in the thread, nothing filed."""
    if point == "slack":
        _kill_when_slack_answers(fake_slack, served, "chat.postMessage")
    ack = served.send("event", body)
    if point:
        served.wait_dead()
        served.start()
        if ack is None or ack.status != 200:  # no ack reached Slack: it delivers the event again
            retry = served.send("event", body, retry_num=1)
            assert retry is not None and retry.status == 200
    ts = body["event"]["ts"]
    assert until(lambda: _offers(fake_slack, ts) and records.pending() == [])
    time.sleep(0.15)  # nothing else arrives later
    [offer] = _offers(fake_slack, ts)
    assert incidents() == [] and "報告として受け付けますか" in offer["text"]
    return copy.deepcopy(offer)  # as the user's Slack shows it now (the stored one is updated later)


def _confirm_click(fake_slack, offer: dict, user: str = "USAN001") -> dict:
    [actions] = [b for b in offer["blocks"] if b.get("block_id") == "report_offer"]
    button = next(e for e in actions["elements"] if e["action_id"] == "report_offer_file")
    return P.block_actions(button["action_id"], button["value"], {"ts": offer["ts"], "blocks": offer["blocks"]},
                           fake_slack.response_url(), user=user, block_id="report_offer")


def _filed(served, fake_slack, body, offer: dict, point: str = "") -> None:
    """The reporter's 「報告する」, killed at ``point`` (or not); if the click got no answer, the user clicks again."""
    if point == "slack":
        _kill_when_slack_answers(fake_slack, served, "chat.postMessage")
    click = _confirm_click(fake_slack, offer)
    ack = served.send("interactive", click)
    if point:
        served.wait_dead()
        served.start()
        if ack is None:
            assert served.send("interactive", click).status == 200
    _settled(fake_slack, body["event"]["ts"])


def _assert_filed_once(fake_slack, ts: str) -> dict:
    reply = _assert_one_reply(fake_slack, ts)
    [offer] = _offers(fake_slack, ts)
    assert "受け付けました" in offer["text"] and "report_offer_file" not in json.dumps(offer["blocks"])
    return reply


@pytest.mark.parametrize("point", REPORT_POINTS)
def test_mention_survives_a_kill_at_every_step(served, fake_slack, point):
    served.start(crash_at=point if point != "slack" else "")
    body = P.app_mention(REPORT, user="USAN001")
    offer = _offered(served, fake_slack, body, point)
    served.send("event", body, retry_num=2)  # a late retry changes nothing
    time.sleep(0.1)
    assert len(_offers(fake_slack, body["event"]["ts"])) == 1
    _filed(served, fake_slack, body, offer)
    _assert_filed_once(fake_slack, body["event"]["ts"])


@pytest.mark.parametrize("point", REPORT_POINTS)
def test_report_click_survives_a_kill_at_every_step(served, fake_slack, point):
    """Including a kill just after the click's ack (accept.after_commit, deliver.*): the incident was stored
    with the click, the worker delivers its reply after the restart, and a second click files nothing."""
    served.start()
    body = P.app_mention(REPORT, user="USAN001")
    offer = _offered(served, fake_slack, body)
    served.kill()
    served.start(crash_at=point if point != "slack" else "")
    _filed(served, fake_slack, body, offer, point)
    _assert_filed_once(fake_slack, body["event"]["ts"])
    assert served.send("interactive", _confirm_click(fake_slack, offer)).status == 200  # a late replay
    assert served.send("event", body, retry_num=2).status == 200  # and a late retry of the mention
    time.sleep(0.3)
    _assert_filed_once(fake_slack, body["event"]["ts"])


def _step_updates(fake_slack) -> list:
    return [c for c in fake_slack.calls_to("chat.update") if "report_step_" in json.dumps(c.params.get("blocks"))
            or "report_undo_" in json.dumps(c.params.get("blocks"))]


def _button(reply: dict, action_prefix: str) -> dict:
    for block in reply["blocks"]:
        acc = block.get("accessory") or {}
        if block.get("block_id") == "report_step_0" and acc.get("action_id", "").startswith(action_prefix):
            return acc
    raise AssertionError(f"no {action_prefix} button on step 0")


@pytest.mark.parametrize("point", ["accept.before_commit", "accept.after_commit", "deliver.after_post"])
def test_click_survives_a_kill_at_every_step(served, fake_slack, point):
    served.start()
    body = P.app_mention(REPORT, user="USAN001")
    _filed(served, fake_slack, body, _offered(served, fake_slack, body))
    ts = body["event"]["ts"]
    reply = _assert_one_reply(fake_slack, ts)
    served.kill()
    served.start(crash_at=point)
    button = _button(reply, "report_step_")
    click = P.block_actions(button["action_id"], button["value"], {"ts": reply["ts"], "blocks": reply["blocks"]},
                            fake_slack.response_url(), user="USANHEAD", block_id="report_step_0")
    ack = served.send("interactive", click)
    served.wait_dead()
    served.start()
    if ack is None:  # the user saw the click fail and clicks again
        assert served.send("interactive", click).status == 200
    assert until(lambda: _step_updates(fake_slack) and records.pending() == [])
    assert served.send("interactive", click).status == 200  # a replay does not un-tick
    time.sleep(0.3)
    [inc] = incidents()
    assert inc.steps[0].done_by == "USANHEAD"
    assert [e["action"] for e in records.step_history(inc.id)] == ["tick"]
    last = _step_updates(fake_slack)[-1]
    assert "report_undo_0" in json.dumps(last.params["blocks"])  # the reply shows it done (取り消す offered)
    _assert_one_reply(fake_slack, ts)


def test_sigterm_keeps_pending_deliveries_for_the_next_start(served, fake_slack):
    served.start()
    body = P.app_mention(REPORT, user="USAN001")
    offer = _offered(served, fake_slack, body)
    fake_slack.outage(503)
    assert served.send("interactive", _confirm_click(fake_slack, offer)).status == 200  # stored although Slack is down
    assert until(lambda: fake_slack.calls_to("chat.postMessage")[1:])
    assert served.terminate() == 0  # graceful
    assert len(records.pending()) == 2 and len(incidents()) == 1  # the reply and the offer's update
    fake_slack.recover()
    served.start()
    _settled(fake_slack, body["event"]["ts"])
    time.sleep(0.2)
    _assert_filed_once(fake_slack, body["event"]["ts"])


@pytest.mark.parametrize("point", ["accept.before_commit", "accept.after_commit", "deliver.after_post"])
def test_report_modal_submission_survives_a_kill(served, fake_slack, point):
    """The shortcut's modal: killed while its submission is stored or delivered; if the submission got no
    answer the modal is still open and the user presses 「報告する」 again. One incident, one reply."""
    served.start(crash_at=point)
    shortcut = P.message_shortcut("report_message", "町の偽アカウントです https://x.com/urausu_fake",
                                  fake_slack.response_url(), user="USAN001", author="UELSEWHERE")
    assert served.send("interactive", shortcut).status == 200
    [opened] = fake_slack.wait_for("views.open")
    view = opened.params["view"]
    select = next(b for b in view["blocks"] if b.get("block_id") == "report_type")["element"]
    values = {"report_type": {"choice": {"type": "static_select", "selected_option": select["initial_option"]}},
              "report_note": {"text": {"type": "plain_text_input", "value": "住民の方から連絡がありました"}}}
    submission = P.view_submission(view, values, user="USAN001")
    ack = served.send("interactive", submission)
    served.wait_dead()
    served.start()
    if ack is None:
        assert served.send("interactive", submission).status == 200
    ts = shortcut["message"]["ts"]
    _settled(fake_slack, ts)
    reply = _assert_one_reply(fake_slack, ts)
    assert "住民の方から連絡がありました" in json.dumps(reply.get("blocks"), ensure_ascii=False)
    served.send("interactive", submission)  # a late replay files nothing
    time.sleep(0.3)
    _assert_one_reply(fake_slack, ts)
