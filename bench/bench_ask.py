"""Ask latency: warm per-question p50/p99 over the dev and team question sets, and process cold start
to first answer (`python -m bot ask ...`). Run from the project root: python bench/bench_ask.py"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def questions() -> list[str]:
    files = [ROOT / "tests" / "search" / "questions.tsv", ROOT.parent / "shared" / "eval" / "questions.dev.tsv"]
    out = []
    for f in files:
        if f.exists():
            out += [l.split("\t")[0] for l in f.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    return out


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["BOT_DB"] = str(Path(tmp) / "bench.db")
    from bot.search import ask

    qs = questions()
    ask(qs[0])  # build the index once
    times = []
    for _ in range(20):
        for q in qs:
            t = time.perf_counter()
            ask(q)
            times.append((time.perf_counter() - t) * 1000)
    print(f"ask warm: n={len(times)} p50={pct(times, 50):.2f} ms p99={pct(times, 99):.2f} ms max={max(times):.2f} ms")

    cold = []
    for i in range(5):
        env = {**os.environ, "BOT_DB": str(Path(tmp) / f"cold{i % 2}.db")}
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask", "勤務中にSNSを見てもいい？"], cwd=ROOT, env=env,
                       capture_output=True, check=True)
        cold.append(time.perf_counter() - t)
    print(f"cold start to first answer: median={statistics.median(cold):.2f} s max={max(cold):.2f} s "
          f"(first run on a new database included)")


if __name__ == "__main__":
    main()
