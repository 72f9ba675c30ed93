"""Ask latency: warm per-question p50/p99 (questions never seen before: every call embeds its question),
process cold start to first answer (`python -m bot ask ...`) once the database caches are built, and the
resident memory of a process that has answered (what `serve` holds). Run: python bench/bench_ask.py"""

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

from bench.common import pct  # noqa: E402


def questions() -> list[str]:
    files = sorted((ROOT / "knowledge" / "examples" / "questions").glob("*.tsv"))
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
    for i, q in enumerate(qs[:600]):
        q = f"{q}（{i}）"  # never the same text twice: nothing can be cached
        t = time.perf_counter()
        ask(q)
        times.append((time.perf_counter() - t) * 1000)
    print(f"ask warm: n={len(times)} p50={pct(times, 0.5):.1f} ms p99={pct(times, 0.99):.1f} ms max={max(times):.1f} ms")
    try:
        import resource

        print(f"resident memory after answering: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (max RSS)")
    except ImportError:  # pragma: no cover - not on Linux
        pass

    cold = []
    env = {**os.environ, "BOT_DB": str(Path(tmp) / "cold.db")}
    subprocess.run([sys.executable, "-m", "bot", "ask", "テスト"], cwd=ROOT, env=env, capture_output=True, check=True)
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask", "勤務中にSNSを見てもいい？"], cwd=ROOT, env=env,
                       capture_output=True, check=True)
        cold.append(time.perf_counter() - t)
    print(f"cold start to first answer (caches built): median={statistics.median(cold):.2f} s max={max(cold):.2f} s")


if __name__ == "__main__":
    main()
