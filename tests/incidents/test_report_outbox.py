"""The outbox: replies are stored before Slack is called and delivered exactly once, also after failures
and restarts."""

from __future__ import annotations

import threading
import time

from bot import store
from bot.incidents import classify, deliver, flush, records, submit, tick


def _open(message_key="Ev1", text="Xで町の偽アカウントを見つけました https://x.com/urausu_fake"):
    return submit(classify(text), reporter="USAN001", channel="C1", thread_ts="1.0", message_key=message_key)


class Slack:
    """Stands in for the Slack layer's sender: records what was sent, can fail."""

    def __init__(self, fail: int = 0):
        self.fail = fail
        self.sent: list[tuple[int, str, int]] = []

    def __call__(self, msg):
        if self.fail:
            self.fail -= 1
            raise RuntimeError("ratelimited")
        self.sent.append((msg.id, msg.kind, msg.incident))
        return f"200.{len(self.sent)}"


def test_incident_is_stored_with_its_reply_pending_before_any_send(directory_file):
    opened = _open()
    msg = records.outbox_message(opened.outbox_id)
    assert msg.kind == "reply" and msg.sent_at is None
    assert records.get(opened.incident.id) is not None


def test_delivered_once_and_reply_ts_recorded(directory_file):
    opened = _open()
    slack = Slack()
    assert deliver(opened.outbox_id, slack)
    assert not deliver(opened.outbox_id, slack)
    assert flush(slack) == (0, 0)
    assert slack.sent == [(opened.outbox_id, "reply", opened.incident.id)]
    assert records.get(opened.incident.id).reply_ts == "200.1"
    assert not records.mark_sent(opened.outbox_id, "999.9")  # a second mark changes nothing
    assert records.get(opened.incident.id).reply_ts == "200.1"


def test_failure_keeps_the_message_and_a_restart_delivers_it_once(directory_file, monkeypatch):
    opened = _open()
    failing = Slack(fail=1)
    assert not deliver(opened.outbox_id, failing)
    msg = records.outbox_message(opened.outbox_id)
    assert msg.sent_at is None and "ratelimited" in msg.last_error and msg.attempts == 1
    # restart: new connections, new run
    store.close_all()
    monkeypatch.setattr(records, "RUN_ID", "run-2")
    slack = Slack()
    assert flush(slack, at_start=True) == (1, 0)
    assert flush(slack, at_start=True) == (0, 0)
    assert slack.sent == [(opened.outbox_id, "reply", opened.incident.id)]


def test_crash_mid_send_is_taken_over_at_next_start(directory_file, monkeypatch):
    opened = _open()
    assert records.claim(opened.outbox_id)  # this run claimed it, then "crashed" before marking
    assert not deliver(opened.outbox_id, Slack())  # a fresh claim by a live sender is respected
    store.close_all()
    monkeypatch.setattr(records, "RUN_ID", "run-2")
    slack = Slack()
    assert flush(slack, at_start=True) == (1, 0)
    assert len(slack.sent) == 1


def test_concurrent_senders_send_once(directory_file):
    opened = _open()
    slack_calls = []
    lock = threading.Lock()

    def slow_send(msg):
        with lock:
            slack_calls.append(msg.id)
        time.sleep(0.05)
        return "300.1"

    results = []

    def worker():
        results.append(deliver(opened.outbox_id, slow_send))
        store.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert slack_calls == [opened.outbox_id]
    assert results.count(True) == 1


def test_updates_after_clicks_are_coalesced_and_follow_the_reply(directory_file):
    opened = _open()
    inc = opened.incident
    a = tick(inc.id, 0, "USAN001").outbox_id
    b = tick(inc.id, 1, "USANHEAD").outbox_id
    assert a == b  # one pending update is enough: it renders the current state
    slack = Slack()
    flush(slack)
    assert [k for _, k, _ in slack.sent] == ["reply", "update"]
    c = tick(inc.id, 2, "UGAHEAD").outbox_id
    assert c != b
    assert deliver(c, slack) and [k for _, k, _ in slack.sent] == ["reply", "update", "update"]


def test_retry_of_a_delivered_report_sends_nothing(directory_file, monkeypatch):
    _open()
    slack = Slack()
    flush(slack)
    store.close_all()
    monkeypatch.setattr(records, "RUN_ID", "run-2")
    again = _open()
    assert again.retry and again.outbox_id is None
    assert flush(slack, at_start=True) == (0, 0)
    assert len(slack.sent) == 1
