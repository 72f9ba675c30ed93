"""HTTP-mode acknowledgement latency: start `python -m bot serve --http` against the local fake Slack,
send N signed requests of each kind (DM event, /sns-ask, /sns-check, feedback click, modal submission)
and print p50/p99 of the time until the ack (the HTTP response). Target: p99 ≤ 50 ms.

    python bench/bench_http_ack.py [-n 200] [-c 1] [--in-process]

The work after the ack (search, check, Web API calls to the fake) keeps running in the server while
the next requests arrive, as in production.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakeslack import payloads as P  # noqa: E402
from tests.fakeslack.api import BOT_TOKEN, SIGNING_SECRET, FakeSlackAPI  # noqa: E402
from tests.fakeslack.drivers import HttpDriver  # noqa: E402

QUESTIONS = ["勤務中にSNSを見てもいいですか", "個人情報を投稿してもいいですか", "なりすましを見つけたらどうする",
             "今日の給食の献立は", "炎上したらどうすればいいですか"]
DRAFTS = ["明日10時から役場前で夏祭りを開催します！", "担当の田中さん（090-1234-5678）まで", "選挙では〇〇候補を応援しよう"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def _requests(api: FakeSlackAPI, i: int):
    q, d = QUESTIONS[i % len(QUESTIONS)], DRAFTS[i % len(DRAFTS)]
    value = '{"q":"%s","c":["8(1)⑤"]}' % q
    modal = {"type": "modal", "callback_id": "check_modal", "blocks": []}
    values = {"draft": {"text": {"type": "plain_text_input", "value": d}},
              "account": {"choice": {"type": "radio_buttons", "selected_option": {"value": "official"}}}}
    return [
        ("event: message.im", "event", P.message_im(q)),
        ("command: /sns-ask", "command", P.slash_command("/sns-ask", q, api.response_url())),
        ("command: /sns-check", "command", P.slash_command("/sns-check", d, api.response_url())),
        ("action: feedback", "interactive",
         P.block_actions("feedback_up", value, {"ts": "1.1", "blocks": []}, api.response_url(), channel=P.DM)),
        ("view: check modal", "interactive", P.view_submission(modal, values)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="requests of each kind (default 200)")
    parser.add_argument("-c", "--concurrency", type=int, default=1, help="requests in flight at once (default 1)")
    parser.add_argument("--in-process", action="store_true", help="run the server in this process (same code)")
    args = parser.parse_args()

    with FakeSlackAPI() as api, tempfile.TemporaryDirectory() as tmp:
        os.environ["BOT_DB"] = str(Path(tmp) / "bench.db")
        port = _free_port()
        proc = None
        if args.in_process:
            from bot.config import SlackSettings
            from bot.slack.app import create_app
            from bot.slack.http import make_server, serve_in_thread

            app = create_app(SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=api.url), http=True)
            server = make_server(app, "127.0.0.1", port)
            serve_in_thread(server)
        else:
            env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                   "SLACK_API_URL": api.url, "PYTHONUNBUFFERED": "1"}
            proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                                     "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
            line = proc.stdout.readline()
            if "/slack/events" not in line:
                print("server did not start", file=sys.stderr)
                return 1
        driver = HttpDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        # warm-up (first search builds nothing new, but imports and connections settle)
        for _, kind, body in _requests(api, 0):
            getattr(driver, kind)(body)
        times: dict[str, list[float]] = {}
        failures = 0
        jobs = [job for i in range(args.n) for job in _requests(api, i + 1)]
        with ThreadPoolExecutor(max_workers=max(1, args.concurrency)) as pool:
            for name, ack in pool.map(lambda job: (job[0], getattr(driver, job[1])(job[2])), jobs):
                if ack.status != 200:
                    failures += 1
                times.setdefault(name, []).append(ack.seconds * 1000)
        api.wait_for("chat.postMessage", count=args.n, timeout=120)  # the work after the acks finished
        if proc:
            proc.terminate()
            proc.wait(10)
        else:
            server.shutdown()

    all_times = [t for ts in times.values() for t in ts]
    print(f"HTTP ack latency, {args.n} requests per kind, concurrency {args.concurrency}"
          f" ({'in-process' if args.in_process else 'separate process'}), failures: {failures}")
    print(f"{'kind':<22}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, ts in [*times.items(), ("all", all_times)]:
        print(f"{name:<22}{statistics.median(ts):>9.1f}{_pct(ts, 99):>9.1f}{max(ts):>9.1f}")
    p99 = _pct(all_times, 99)
    print(f"target p99 ≤ 50 ms: {'met' if p99 <= 50 else 'NOT met'} ({p99:.1f} ms)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
