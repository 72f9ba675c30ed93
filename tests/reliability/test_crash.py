"""kill -9 of a `serve --http` subprocess at every step of a report and of a click: after the restart (and
Slack's retry of an unacknowledged event) there is exactly one incident, exactly one thread reply, and it
tags the reporter's department head and 総務課."""

from __future__ import annotations

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
    assert until(lambda: fake_slack.thread_replies(P.CHANNEL, ts) and records.pending() == [])
    time.sleep(0.15)  # nothing else arrives later


def _assert_one_reply(fake_slack, ts: str) -> dict:
    assert len(incidents()) == 1
    [reply] = fake_slack.thread_replies(P.CHANNEL, ts)
    shown = reply["text"] + json.dumps(reply.get("blocks"), ensure_ascii=False)
    assert "<@USANHEAD>" in shown and "<@UGAHEAD>" in shown  # the head and 総務課 are tagged
    return reply


@pytest.mark.parametrize("point", REPORT_POINTS)
def test_report_survives_a_kill_at_every_step(served, fake_slack, point):
    if point == "slack":
        served.start()
        _kill_when_slack_answers(fake_slack, served, "chat.postMessage")
    else:
        served.start(crash_at=point)
    body = P.app_mention(REPORT, user="USAN001")
    ack = served.send("event", body)
    served.wait_dead()
    served.start()
    if ack is None or ack.status != 200:  # no ack reached Slack: it delivers the event again
        retry = served.send("event", body, retry_num=1)
        assert retry is not None and retry.status == 200
    _settled(fake_slack, body["event"]["ts"])
    _assert_one_reply(fake_slack, body["event"]["ts"])
    served.send("event", body, retry_num=2)  # a late retry changes nothing
    time.sleep(0.1)
    _assert_one_reply(fake_slack, body["event"]["ts"])


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
    assert served.send("event", body).status == 200
    ts = body["event"]["ts"]
    _settled(fake_slack, ts)
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
    assert until(lambda: fake_slack.calls_to("chat.update") and records.pending() == [])
    assert served.send("interactive", click).status == 200  # a replay does not un-tick
    time.sleep(0.3)
    [inc] = incidents()
    assert inc.steps[0].done_by == "USANHEAD"
    assert [e["action"] for e in records.step_history(inc.id)] == ["tick"]
    last = fake_slack.calls_to("chat.update")[-1]
    assert "report_undo_0" in json.dumps(last.params["blocks"])  # the reply shows it done (取り消す offered)
    _assert_one_reply(fake_slack, ts)


def test_sigterm_keeps_pending_deliveries_for_the_next_start(served, fake_slack):
    served.start()
    fake_slack.outage(503)
    body = P.app_mention(REPORT, user="USAN001")
    assert served.send("event", body).status == 200  # stored although Slack is down
    assert until(lambda: fake_slack.calls_to("chat.postMessage"))
    assert served.terminate() == 0  # graceful
    assert len(records.pending()) == 1 and len(incidents()) == 1
    fake_slack.recover()
    served.start()
    _settled(fake_slack, body["event"]["ts"])
    _assert_one_reply(fake_slack, body["event"]["ts"])
