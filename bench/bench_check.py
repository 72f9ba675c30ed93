"""Latency of check() (rules, detectors and the learned layer), warm, a different draft each call:
prints p50/p99 in milliseconds for a 280-character and a 3,000-character draft.

Run from the project root: python bench/bench_check.py [--n 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.screening import check

PARAGRAPHS = [
    "【お知らせ】町民センターは設備点検のため3月10日（月）は休館します。ご不便をおかけします。",
    "問合せ先：浦臼町役場 総務課（電話 0125-68-2111）まで。受付は平日8時30分から17時15分です。",
    "今年もさくらんぼ狩りの季節がやってきました。町内の観光農園は6月下旬から営業予定です。",
    "窓口に来た高橋一郎さんは浦臼町字キナウスナイ45番地にお住まいです。担当者携帯：０８０ー１１１１ー２２２２。",
    "まだ確定していませんが、来年度から水道料金が上がる見込みです。役場の職員が不祥事を起こしたという噂が流れています。",
    "詳しくは https://www.town.urausu.hokkaido.jp/ または私のブログ https://blog.example.org/me をご覧ください。",
    "参加費は大人500円、中学生以下は無料です。定員は先着30名、受付番号 1234-5678-9012 の方は2番窓口へ。😀",
]


def draft(n_chars: int = 3000) -> str:
    out, i = "", 0
    while len(out) < n_chars:
        out += PARAGRAPHS[i % len(PARAGRAPHS)] + "\n"
        i += 1
    return out[:n_chars]


def _p(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    from bot.screening import prepare

    t0 = time.perf_counter()
    prepare()  # the learned layer: loaded from BOT_DB, or trained once for these examples
    print(f"learned layer ready in {(time.perf_counter() - t0) * 1000:.0f} ms")
    check(draft(3000))  # warm
    for chars, target in ((280, 300), (3000, 1500)):
        times = []
        for text in fresh_drafts(args.n, chars):
            t = time.perf_counter()
            check(text)
            times.append((time.perf_counter() - t) * 1000)
        p50, p99 = _p(times)
        print(f"check {chars} chars, warm, a different draft each call: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
              f"max {max(times):.2f} ms (n={len(times)}; target p99 <= {target} ms)")


def fresh_drafts(n: int, n_chars: int) -> list[str]:
    """Drafts assembled from the team's draft sets in random order: no two alike, so no cache helps."""
    import random

    data = Path(__file__).resolve().parent.parent / "tests" / "screening" / "data"
    rows = [line.split("\t")[0] for f in sorted(data.glob("*.tsv"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    rng = random.Random(1)
    out = []
    for _ in range(n):
        text = ""
        while len(text) < n_chars:
            text += rng.choice(rows)
        out.append(text[:n_chars])
    return out


if __name__ == "__main__":
    main()
