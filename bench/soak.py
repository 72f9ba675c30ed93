"""Soak: mixed traffic against `python -m bot serve --http` (a subprocess) and the local fake Slack, with
injected faults, then a count of what was lost or doubled.

Traffic: reports by mention and by DM (several reporters and channels, some bursts), each confirmed with
the offer's 「報告する」 (clicked again when a click got no answer), direct-message questions and checklist
clicks (with double clicks). Faults, at random: Slack outages (HTTP 503 for a few seconds),
429 with Retry-After, slow answers past the client timeout (the post lands, the answer is late),
504 after the work, a channel the bot is not in, a database held by another writer, and kill -9 of
the app (restarted at once, Slack's retries of unacknowledged events follow, as Slack does).

At the end (after a drain), for every acknowledged report: exactly one offer; for every acknowledged
「報告する」: its incident (or its note in an earlier one) and exactly one reply (in its thread, or by DM when
the thread could not be used or the report came by DM); every delivery key at most once in Slack; every
acknowledged tick recorded. Prints ``lost = N, doubled = N`` and p50/p99 of the ack and of report → reply.

    python bench/soak.py                 # 1 minute
    python bench/soak.py --minutes 10    # the long run
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import pct, write_directory  # noqa: E402
from tests.fakeslack import payloads as P  # noqa: E402
from tests.fakeslack.api import BOT_TOKEN, SIGNING_SECRET, FakeSlackAPI, dm_channel  # noqa: E402
from tests.fakeslack.drivers import HttpDriver  # noqa: E402

REPORTERS = ["USAN001", "USAN002", "USAN003", "UJUM001", "UJUM002"] + [f"UX{i:05d}" for i in range(40)]
CHANNELS = ["C0GENERAL", "C0SOUMU", "C0NOBOT"]  # the bot is not in C0NOBOT at times
QUESTIONS = ["勤務中にSNSを見てもいいですか", "私的なアカウントで町の行事を投稿してもいいですか", "今日の給食の献立は？"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    def __init__(self, api: FakeSlackAPI, env: dict):
        self.api, self.env = api, env
        self.proc = None
        self.driver = None
        self.lock = threading.Lock()

    def start(self) -> None:
        port = free_port()
        env = {**os.environ, **self.env, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SLACK_API_URL": self.api.url}
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1", "--port", str(port)],
                                     cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if "待ち受けています" not in line:
            raise SystemExit("serve did not start")
        self.driver = HttpDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)

    def kill_and_restart(self) -> None:
        with self.lock:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
            self.start()

    def send(self, kind: str, payload: dict, **kw):
        try:
            return getattr(self.driver, kind)(payload, **kw)
        except OSError:
            return None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(15)


def deliver_like_slack(app: App, kind: str, payload: dict, acks: list, tries: int = 12):
    """Send until acknowledged with 200 (Slack retries events with the same event_id; a person clicks again)."""
    for attempt in range(tries):
        t = time.perf_counter()
        ack = app.send(kind, payload, **({"retry_num": attempt} if kind == "event" and attempt else {}))
        if ack is not None and ack.status == 200:
            acks.append((time.perf_counter() - t) * 1000)
            return True
        time.sleep(0.3 + 0.2 * attempt)
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--rate", type=float, default=8.0, help="requests per second")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    directory = write_directory(tmp)
    db = tmp / "bot.db"
    env = {"BOT_DB": str(db), "BOT_DIRECTORY": str(directory), "BOT_DELIVERY_BACKOFF_S": "0.3",
           "BOT_DELIVERY_MAX_BACKOFF_S": "3", "BOT_DELIVERY_POLL_S": "0.3", "BOT_SLACK_TIMEOUT_S": "2",
           "BOT_ACK_BUSY_S": "1", "BOT_DELIVERY_ALERT_AFTER": "8"}
    api = FakeSlackAPI().start()
    app = App(api, env)
    app.start()

    reports: dict[str, tuple[str, str, float]] = {}  # event ts -> (channel, reporter, accepted at)
    filed: dict[str, float] = {}  # event ts -> when its 「報告する」 was acknowledged
    unacked_reports = unoffered = 0
    clicks_acked: list[tuple[int, int]] = []
    acks: list[float] = []
    faults = Counter()
    stop_at = time.monotonic() + args.minutes * 60
    pool = []
    sem = threading.Semaphore(16)

    def run(fn, *a):
        def wrapped():
            with sem:
                fn(*a)
        th = threading.Thread(target=wrapped, daemon=True)
        th.start()
        pool.append(th)

    def offer_message(channel: str, ts: str) -> dict | None:
        """The offer posted for the message channel:ts (in its thread, its DM, or by DM to the reporter)."""
        try:
            with sqlite3.connect(db, timeout=5) as c:
                row = c.execute("select id from report_offers where message_key = ?", [f"{channel}:{ts}"]).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        for m in api.all_messages():
            meta = (m.get("metadata") or {}).get("event_payload") or {}
            buttons = [e for b in m.get("blocks") or [] if b.get("block_id") == "report_offer" for e in b.get("elements", [])]
            if meta.get("kind") == "offer" and any(e.get("value") == str(row[0]) for e in buttons):
                return m
        return None

    def report(i: int):
        nonlocal unacked_reports, unoffered
        channel, reporter = rng.choice(CHANNELS), rng.choice(REPORTERS)
        text = f"Xで町の偽アカウントを見つけました https://x.com/soak_{i}"
        if rng.random() < 0.25:  # by DM
            channel = dm_channel(reporter)
            body = P.message_im(text, user=reporter, channel=channel)
        else:
            body = P.app_mention(f"<@U0BOT> {text}", user=reporter, channel=channel)
        ts = body["event"]["ts"]
        if not deliver_like_slack(app, "event", body, acks):
            unacked_reports += 1
            return
        reports[ts] = (channel, reporter, time.monotonic())
        deadline = time.monotonic() + 30
        offer = None
        while offer is None and time.monotonic() < deadline:
            time.sleep(0.2)
            offer = offer_message(channel, ts)
        if offer is None:
            unoffered += 1  # checked at the end: after the drain it must be in Slack
            return
        button = next(e for b in offer["blocks"] if b.get("block_id") == "report_offer" for e in b["elements"]
                      if e["action_id"] == "report_offer_file")
        click = P.block_actions(button["action_id"], button["value"], {"ts": offer["ts"], "blocks": offer["blocks"]},
                                api.response_url(), user=reporter, channel=channel, block_id="report_offer")
        for _ in range(rng.choice([1, 1, 2])):  # sometimes a double click
            if deliver_like_slack(app, "interactive", click, acks, tries=6):
                filed.setdefault(ts, time.monotonic())

    def question():
        deliver_like_slack(app, "event", P.message_im(rng.choice(QUESTIONS), user=rng.choice(REPORTERS)), acks, tries=1)

    def click():
        replies = [m for m in api.all_messages() if any((b.get("accessory") or {}).get("action_id", "").startswith("report_step_")
                                                           for b in m.get("blocks") or [])]
        if not replies:
            return
        m = rng.choice(replies)
        buttons = [b["accessory"] for b in m["blocks"] if (b.get("accessory") or {}).get("action_id", "").startswith("report_step_")]
        b = rng.choice(buttons)
        user = "UGAHEAD"
        payload = P.block_actions(b["action_id"], b["value"], {"ts": m["ts"], "blocks": m["blocks"]}, api.response_url(), user=user,
                                  channel="C0GENERAL", block_id=b["action_id"].replace("report_step_", "report_step_"))
        for _ in range(rng.choice([1, 1, 2])):  # sometimes a double click
            if deliver_like_slack(app, "interactive", payload, acks, tries=4):
                incident, pos = (int(x) for x in b["value"].split(":"))
                clicks_acked.append((incident, pos))

    def inject():
        f = rng.choice(["outage", "ratelimit", "slow", "504", "nobot", "dbbusy", "kill", "none", "none"])
        faults[f] += 1
        if f == "outage":
            api.outage(503)
            time.sleep(rng.uniform(1, 4))
            api.recover()
        elif f == "ratelimit":
            api.rate_limit_next("chat.postMessage", times=rng.randint(1, 3), retry_after=1)
        elif f == "slow":
            api.slow_next("chat.postMessage", 2.5, times=rng.randint(1, 2))
        elif f == "504":
            api.fail_after_work_next("chat.postMessage", 504, times=1)
        elif f == "nobot":
            api.channel_errors["C0NOBOT"] = "not_in_channel"
        elif f == "dbbusy":
            other = sqlite3.connect(db, isolation_level=None, timeout=10)
            try:
                other.execute("BEGIN IMMEDIATE")
                time.sleep(rng.uniform(0.5, 2.5))
                other.execute("COMMIT")
            finally:
                other.close()
        elif f == "kill":
            app.kill_and_restart()

    i = 0
    next_fault = time.monotonic() + 2
    while time.monotonic() < stop_at:
        i += 1
        r = rng.random()
        if r < 0.45:
            if rng.random() < 0.05:  # a burst by one person
                for _ in range(7):
                    i += 1
                    run(report, i)
            else:
                run(report, i)
        elif r < 0.8:
            run(question)
        else:
            run(click)
        if time.monotonic() >= next_fault:
            threading.Thread(target=inject, daemon=True).start()
            next_fault = time.monotonic() + rng.uniform(2, 6)
        time.sleep(rng.expovariate(args.rate))
    for th in pool:
        th.join(30)
    api.recover()
    api.channel_errors.clear()
    # drain: every pending Delivery out (the worker does it by itself)
    con = sqlite3.connect(db, timeout=10)
    drain_until = time.monotonic() + 60
    while time.monotonic() < drain_until:
        pending = con.execute("select count(*) from outbox where sent_at is null").fetchone()[0]
        if pending == 0:
            break
        time.sleep(0.5)
    time.sleep(1.0)
    app.stop()

    # --- counting
    keys = Counter()
    for m in api.all_messages():
        meta = (m.get("metadata") or {}).get("event_payload") or {}
        if meta.get("delivery"):
            keys[(meta["delivery"], meta.get("to", ""))] += 1
    doubled = sum(n - 1 for n in keys.values() if n > 1)
    doubled_keys = [k for k, n in keys.items() if n > 1]
    rows = {r[0]: r for r in con.execute("select thread_ts, id, reply_channel from incidents")}
    stored_events = {r[0] for r in con.execute("select message_key from incident_events")}
    posted_at: dict[str, float] = {}
    for call in api.calls_to("chat.postMessage"):
        thread = call.params.get("thread_ts")
        meta = (call.params.get("metadata") or {}).get("event_payload") or {}
        if thread and meta.get("kind") == "reply" and thread not in posted_at:
            posted_at[thread] = call.at
    offer_rows = {r[0]: r for r in con.execute("select message_key, outbox, status from report_offers")}
    sent_outbox = {r[0] for r in con.execute("select id from outbox where sent_at is not null")}
    lost, latencies, why = 0, [], Counter()
    kinds = {f"{ns}:{oid}": kind for (ns,) in con.execute("select value from meta where key = 'delivery_namespace'")
             for oid, kind in con.execute("select id, kind from outbox")}

    def kind_of(message: dict) -> str:
        meta = (message.get("metadata") or {}).get("event_payload") or {}
        return kinds.get(meta.get("delivery", ""), "")

    for ts, (channel, _reporter, accepted) in reports.items():
        offer = offer_rows.get(f"{channel}:{ts}")
        if offer is None or offer[1] not in sent_outbox:  # acknowledged, but no offer stored or sent
            lost += 1
            why["offer not stored" if offer is None else "offer not sent"] += 1
            continue
        if ts not in filed:
            continue  # offered; nobody confirmed it (yet)
        if f"{channel}:{ts}" not in stored_events:  # 「報告する」 acknowledged but not stored
            lost += 1
            why["not stored"] += 1
            continue
        accepted = filed[ts]
        if ts in rows:  # its own incident: exactly one reply, in the thread or by direct message
            inc_id, reply_channel = rows[ts][1], rows[ts][2]
            in_thread = [m for m in api.thread_replies(channel, ts) if kind_of(m) == "reply"]
            sent = con.execute("select count(*) from outbox where incident = ? and kind = 'reply' and sent_at is not null",
                               [inc_id]).fetchone()[0]
            if sent != 1 or not (in_thread or reply_channel == "direct"):
                lost += 1
                why[f"sent={sent} thread={len(in_thread)} via={reply_channel or '-'} ch={channel}"] += 1
            doubled += max(0, len(in_thread) - 1)
            if ts in posted_at:
                latencies.append((posted_at[ts] - accepted) * 1000)
        # a grouped or duplicate-URL report is a note in another incident's thread (checked by its key)
    unsent = con.execute("select count(*) from outbox where sent_at is null").fetchone()[0]
    lost += unsent
    ticks_missing = 0
    for incident, pos in set(clicks_acked):
        row = con.execute("select done_by from steps where incident = ? and pos = ?", [incident, pos]).fetchone()
        if row is None or not row[0]:
            ticks_missing += 1
    incidents = con.execute("select count(*) from incidents").fetchone()[0]
    print(f"traffic: {len(reports)} reports acked ({unacked_reports} never acked), {len(filed)} confirmed "
          f"({unoffered} offers not seen within 30 s), {incidents} incidents, "
          f"{len(set(clicks_acked))} ticks acked, {len(api.calls_to('chat.postEphemeral')) + len([c for c in api.calls_to('chat.postMessage') if c.params.get('channel', '').startswith('D')])} answers")
    print("faults: " + ", ".join(f"{k} {v}" for k, v in sorted(faults.items())))
    if doubled_keys:
        print("doubled: " + ", ".join(f"{kinds.get(k, '?')} to {to or 'thread'}" for k, to in doubled_keys))
    print(f"lost = {lost + ticks_missing}, doubled = {doubled}"
          + (f"  (reports {lost - unsent}, unsent deliveries {unsent}, ticks {ticks_missing}; {dict(why)})"
             if lost + ticks_missing else ""))
    print(f"ack              n={len(acks):<5} p50={statistics.median(acks):7.1f} ms  p99={pct(acks, 0.99):7.1f} ms")
    if latencies:
        print(f"click -> reply   n={len(latencies):<5} p50={statistics.median(latencies):7.1f} ms  p99={pct(latencies, 0.99):7.1f} ms"
              "  (faults included)")
    return 0 if lost + ticks_missing == 0 and doubled == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
