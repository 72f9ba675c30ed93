"""Ask latency and memory against the budgets of issue 10:

- warm p50/p99 per question (budget p99 ≤ 100 ms), on questions never seen before (every call embeds its
  question), split into the embedding and the rest (lexical, kNN, probe, reranker, decision);
- cold start to first answer (`python -m bot ask ...` in a new process) once the database caches are built
  (budget ≤ 2 s);
- resident memory of `python -m bot serve --http` (against the local fake Slack) after it has answered
  questions sent as DMs (budget ≤ 600 MB).

The machine's load average is printed with the figures: on shared cores the times grow with it.

    python bench/bench_ask.py [-n 600] [--serve-questions 100] [--no-serve]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct  # noqa: E402

P99_MS, COLD_S, RSS_MB = 100.0, 2.0, 600.0




def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def questions() -> list[str]:
    out = []
    for f in sorted((ROOT / "knowledge" / "examples" / "questions").glob("*.tsv")):
        out += [l.split("\t")[0] for l in f.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    return out


def warm(qs: list[str], n: int) -> None:
    from bot import semantics
    from bot.search import ask

    ask(qs[0])  # build the index, vectors and parameters once
    for i, q in enumerate(qs[-20:]):
        ask(f"{q}（warm{i}）")
    spent = []
    real_embed = semantics.embed

    def timed_embed(*a, **kw):
        t = time.perf_counter()
        try:
            return real_embed(*a, **kw)
        finally:
            spent.append(time.perf_counter() - t)

    semantics.embed = timed_embed
    total, emb = [], []
    try:
        for i, q in enumerate(qs[:n]):
            q = f"{q}（{i}）"  # never the same text twice: nothing can be cached
            spent.clear()
            t = time.perf_counter()
            ask(q)
            total.append((time.perf_counter() - t) * 1000)
            emb.append(sum(spent) * 1000)
    finally:
        semantics.embed = real_embed
    rest = [a - b for a, b in zip(total, emb)]
    p99 = pct(total, 0.99)
    print(f"ask warm: n={len(total)} p50={pct(total, 0.5):.1f} ms p99={p99:.1f} ms max={max(total):.1f} ms "
          f"(budget p99 ≤ {P99_MS:.0f} ms: {verdict(p99 <= P99_MS)})  [{load()}]")
    print(f"  embedding     p50={pct(emb, 0.5):.1f} ms p99={pct(emb, 0.99):.1f} ms")
    print(f"  rest of ask   p50={pct(rest, 0.5):.1f} ms p99={pct(rest, 0.99):.1f} ms")
    try:
        import resource

        print(f"  this process after answering: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB max RSS")
    except ImportError:  # pragma: no cover - not on Linux
        pass


def cold(db: Path) -> None:
    env = {**os.environ, "BOT_DB": str(db)}
    subprocess.run([sys.executable, "-m", "bot", "ask", "テスト"], cwd=ROOT, env=env, capture_output=True, check=True)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask", "勤務中にSNSを見てもいい？"], cwd=ROOT, env=env,
                       capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(f"cold start to first answer (caches built): median={med:.2f} s max={max(times):.2f} s "
          f"(budget ≤ {COLD_S:.0f} s: {verdict(med <= COLD_S)})  [{load()}]")


def _status(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def serve_memory(db: Path, qs: list[str], n: int) -> None:
    from tests.fakeslack import payloads as P
    from tests.fakeslack.api import BOT_TOKEN, SIGNING_SECRET, FakeSlackAPI
    from tests.fakeslack.drivers import HttpDriver

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with FakeSlackAPI() as api:
        env = {**os.environ, "BOT_DB": str(db), "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SLACK_API_URL": api.url, "PYTHONUNBUFFERED": "1"}
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            if "/slack/events" not in proc.stdout.readline():
                print("serve: the server did not start")
                return
            ready = time.perf_counter() - t
            started = _status(proc.pid)
            driver = HttpDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
            for i, q in enumerate(qs[:n]):
                driver.event(P.message_im(f"{q}（{i}）"))
            try:
                api.wait_for("chat.postMessage", count=n, timeout=60 + n)
                answered = n
            except AssertionError:
                answered = len(api.calls_to("chat.postMessage"))
            after = _status(proc.pid)
        finally:
            proc.terminate()
            proc.wait(10)
    rss = after.get("VmRSS", 0.0)
    print(f"serve resident memory: {rss:.0f} MB after {answered} DM questions (peak {after.get('VmHWM', 0):.0f} MB; "
          f"{started.get('VmRSS', 0):.0f} MB when ready, {ready:.1f} s to ready) "
          f"(budget ≤ {RSS_MB:.0f} MB: {verdict(max(rss, after.get('VmHWM', 0)) <= RSS_MB)})  [{load()}]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=600, help="warm questions (default 600)")
    ap.add_argument("--serve-questions", type=int, default=100, help="DM questions sent to serve (default 100)")
    ap.add_argument("--no-serve", action="store_true", help="skip the serve memory measurement")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.db"
    os.environ["BOT_DB"] = str(db)
    print(f"{os.cpu_count()} cores, {load()}")
    qs = questions()
    warm(qs, args.n)
    cold(db)
    if not args.no_serve:
        serve_memory(db, qs, args.serve_questions)


if __name__ == "__main__":
    main()
