"""Report latency, printed as p50/p99 in milliseconds.

Core (no Slack): classify a message; submit a report (incident + steps + outbox in one transaction).
Slack (in-process HTTP app against the local fake Slack): ack of a report mention, time until its offer
(「報告として受け付けますか？」) is posted, time from 「報告する」 until the incident's thread reply is posted,
and time from a checklist click until chat.update.

    python bench/bench_report.py [-n 200] [--core-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import pct, write_directory  # noqa: E402

MESSAGES = [
    "Xで町の偽アカウントを見つけました https://x.com/urausu_fake",
    "町の投稿が炎上しています",
    "掲示板に町の悪口が書かれています <https://example.com/b/1|example.com/b/1>",
    "勤務中にSNSを見てもいい？",
    "偽アカウントを見つけたらどうすればいいですか",
    "なりすましって何ですか？",
]


def show(label: str, times: list[float]) -> None:
    print(f"{label:<28} n={len(times):<4} p50={statistics.median(times):7.2f} ms  p99={pct(times, 0.99):7.2f} ms")


def core(n: int) -> None:
    from bot.incidents import classify, submit

    classify(MESSAGES[0])  # warm up Sudachi and the knowledge files
    times = []
    for i in range(n):
        t = time.perf_counter()
        classify(MESSAGES[i % len(MESSAGES)])
        times.append((time.perf_counter() - t) * 1000)
    show("core: classify", times)
    report = classify(MESSAGES[1])
    times = []
    for i in range(n):
        t = time.perf_counter()
        submit(report, reporter="U0BENCH", channel="C0", thread_ts=f"{i}.0", message_key=f"bench-{i}")
        times.append((time.perf_counter() - t) * 1000)
    show("core: submit", times)


def slack(n: int) -> None:
    os.environ.setdefault("BOT_BURST_LIMIT", "1000")  # one reporter sends every report here: no grouping
    from bot import store
    from bot.config import SlackSettings
    from bot.incidents import records
    from bot.slack.app import create_app
    from bot.slack.http import make_server, serve_in_thread
    from bot.slack.ids import OFFER_FILE_ACTION, REPORT_OFFER_BLOCK
    from tests.fakeslack import payloads as P
    from tests.fakeslack.api import BOT_TOKEN, SIGNING_SECRET, FakeSlackAPI
    from tests.fakeslack.drivers import HttpDriver

    with FakeSlackAPI() as api:
        app = create_app(SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=api.url), http=True)
        server = make_server(app, "127.0.0.1", 0)
        serve_in_thread(server)
        driver = HttpDriver(f"http://127.0.0.1:{server.server_address[1]}/slack/events", SIGNING_SECRET)
        acks, offers, replies, updates = [], [], [], []
        seen_offers: set[str] = set()
        filed = store.db().execute("select count(*) from incidents").fetchone()[0]
        for i in range(n):
            t = time.perf_counter()
            ack = driver.event(P.app_mention(f"<@U0BOT> 町の投稿が炎上しています（{i}）", user="USAN001"))
            acks.append(ack.seconds * 1000)
            offer = None
            while offer is None:  # the offer for this mention is posted
                offer = next((m for m in api.all_messages() if m["ts"] not in seen_offers
                              and any(b.get("block_id") == REPORT_OFFER_BLOCK for b in m.get("blocks") or [])), None)
                if offer is None:
                    if time.perf_counter() - t > 10:
                        raise SystemExit("no offer posted within 10 s")
                    time.sleep(0.002)
            offers.append((time.perf_counter() - t) * 1000)
            seen_offers.add(offer["ts"])
            button = next(e for b in offer["blocks"] if b.get("block_id") == REPORT_OFFER_BLOCK
                          for e in b["elements"] if e["action_id"] == OFFER_FILE_ACTION)
            t = time.perf_counter()
            driver.interactive(P.block_actions(button["action_id"], button["value"],
                                               {"ts": offer["ts"], "blocks": offer["blocks"]}, api.response_url(),
                                               user="USAN001", block_id=REPORT_OFFER_BLOCK))
            while not _replied(filed + 1):  # the new incident's thread reply is posted (its ts recorded)
                time.sleep(0.002)
            filed += 1
            replies.append((time.perf_counter() - t) * 1000)
        while records.pending():
            time.sleep(0.01)
        for inc in records.all_incidents()[-n:]:
            def on_reply(c, ts=inc.reply_ts):
                return c.params.get("ts") == ts
            before = len([c for c in api.calls_to("chat.update") if on_reply(c)])
            t = time.perf_counter()
            driver.interactive(P.block_actions("report_step_1", f"{inc.id}:1", {"ts": inc.reply_ts, "blocks": []},
                                               api.response_url(), user="USANHEAD", block_id="report_step_1"))
            api.wait_for("chat.update", count=before + 1, where=on_reply)
            updates.append((time.perf_counter() - t) * 1000)
        server.shutdown()
        server.server_close()
    show("slack http: mention ack", acks)
    show("slack http: offer posted", offers)
    show("slack http: 報告する→thread reply", replies)
    show("slack http: click→chat.update", updates)


def _replied(count: int) -> bool:
    """At least ``count`` incidents, the newest with its thread reply posted."""
    from bot import store

    row = store.db().execute("select count(*), max(id) from incidents").fetchone()
    if row[0] < count:
        return False
    ts = store.db().execute("select reply_ts from incidents where id = ?", [row[1]]).fetchone()[0]
    return bool(ts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--core-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BOT_DB"] = str(Path(tmp) / "bench.db")
        os.environ["BOT_DIRECTORY"] = str(write_directory(Path(tmp)))
        core(args.n)
        if not args.core_only:
            from bot import store

            store.close_all()
            os.environ["BOT_DB"] = str(Path(tmp) / "bench-slack.db")  # core's reports are not delivered here
            slack(args.n)


if __name__ == "__main__":
    main()
