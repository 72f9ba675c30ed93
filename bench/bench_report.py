"""Latency of the Report core: classify a message, and submit a report (incident + steps + outbox in one
transaction). Prints p50/p99 in milliseconds. Run from the project root: python bench/bench_report.py"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MESSAGES = [
    "Xで町の偽アカウントを見つけました https://x.com/urausu_fake",
    "町の投稿が炎上しています",
    "掲示板に町の悪口が書かれています <https://example.com/b/1|example.com/b/1>",
    "勤務中にSNSを見てもいい？",
    "偽アカウントを見つけたらどうすればいいですか",
    "なりすましって何ですか？",
]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["BOT_DB"] = str(Path(tmp) / "bench.db")
    os.environ.pop("BOT_DIRECTORY", None)
    from bot.incidents import classify, submit

    classify(MESSAGES[0])  # warm up Sudachi and the knowledge files
    runs = 300
    times = []
    for i in range(runs):
        msg = MESSAGES[i % len(MESSAGES)]
        t = time.perf_counter()
        classify(msg)
        times.append((time.perf_counter() - t) * 1000)
    print(f"classify  n={runs}  p50={statistics.median(times):.2f} ms  p99={pct(times, 0.99):.2f} ms")
    report = classify(MESSAGES[1])
    times = []
    for i in range(runs):
        t = time.perf_counter()
        submit(report, reporter="U0BENCH", channel="C0", thread_ts=f"{i}.0", event_id=f"Ev{i}")
        times.append((time.perf_counter() - t) * 1000)
    print(f"submit    n={runs}  p50={statistics.median(times):.2f} ms  p99={pct(times, 0.99):.2f} ms")


if __name__ == "__main__":
    main()
