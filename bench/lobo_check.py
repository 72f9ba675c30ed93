"""Leave-one-batch-out figures for Check's learned layer (batch = one file of knowledge/screening/examples).

For each fold the model is trained on the other batches only; the held-out batch is checked with the whole
pipeline (rules + detectors + that model). Team batches (``team-*``, the rules were tuned on them) are pooled
into a few folds; every other batch is its own fold and is also reported on its own. Prints the threshold
sweep, the chosen threshold (best LOBO F-score with clean-post false alarms <= 1 in 16), per-batch figures
and a learning curve.

Run from the project root: python bench/lobo_check.py [--folds 6] [--curve]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.screening import check, examples, learned
from bot.screening.rules import knowledge, knowledge_folder

GRID = [round(0.30 + 0.05 * i, 2) for i in range(13)]


def under(f: str, x: str) -> bool:
    return f == x or (f.startswith(x) and f[len(x)] not in "0123456789")


def tally(rows, kb):
    """rows: (example, flagged clause set) -> recall, precision, clean flagged, clean, tp, fn, fp."""
    tp = fn = fp = clean = clean_fp = 0
    for ex, found in rows:
        if not ex.category:
            clean += 1
            clean_fp += bool(found)
            continue
        cat = kb.categories[ex.category]
        want = cat.private_clause if ex.account == "private" else cat.clause
        if not want:
            clean += 1
            clean_fp += bool(found)
            continue
        allowed = {want, *(cat.private_related if ex.account == "private" else cat.related)}
        hit = any(under(f, want) for f in found)
        tp += hit
        fn += not hit
        fp += len({f for f in found if not any(under(f, a) for a in allowed)})
    rec = tp / max(1, tp + fn)
    prec = tp / max(1, tp + fp)
    return rec, prec, clean_fp, clean, tp, fn, fp


def flagged(ex, model, threshold):
    v = check(ex.text, ex.account, model=model, threshold=threshold)
    return {f.clause for f in v.findings if f.severity in ("block", "warn")}


def folds_of(batches: list[str], k: int) -> dict[str, int]:
    team = sorted(b for b in batches if b.startswith("team-"))
    out = {b: i % k for i, b in enumerate(team)}
    for j, b in enumerate(sorted(b for b in batches if not b.startswith("team-"))):
        out[b] = k + j
    return out


def run(exs, kb, k: int, fraction: float = 1.0, seed: int = 0, thresholds=GRID):
    batches = sorted({e.batch for e in exs})
    fold = folds_of(batches, k)
    by_t = {t: [] for t in thresholds}
    rng = random.Random(seed)
    for f in sorted(set(fold.values())):
        train = [e for e in exs if fold[e.batch] != f]
        if fraction < 1:
            train = [e for e in train if rng.random() < fraction]
        test = [e for e in exs if fold[e.batch] == f]
        if not test:
            continue
        m = learned.train(train)
        for t in thresholds:
            by_t[t].extend((e, flagged(e, m, t)) for e in test)
    return by_t


def choose(by_t, kb):
    best = None
    for t, rows in by_t.items():
        rec, prec, cfp, clean, *_ = tally(rows, kb)
        ok = cfp * 16 <= clean
        f = 2 * rec * prec / max(1e-9, rec + prec)
        key = (ok, f)
        if best is None or key > best[0]:
            best = (key, t)
    return best[1]


def fmt(r):
    rec, prec, cfp, clean, tp, fn, fp = r
    return f"recall {rec:.3f} precision {prec:.3f} clean flagged {cfp}/{clean} (tp {tp}, fn {fn}, fp {fp})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=6)
    ap.add_argument("--curve", action="store_true")
    ap.add_argument("--untuned", nargs="*", type=Path, default=[],
                    help="new batch files, scored before they join the examples (current model and threshold)")
    args = ap.parse_args()
    kb = knowledge()
    if args.untuned:
        for path in args.untuned:
            exs, errors = examples.parse(path.read_text(encoding="utf-8"), path.name, set(kb.categories))
            if errors:
                print(path.name, errors[:3])
            rows = [(e, flagged(e, None, None)) for e in exs]
            base = [(e, flagged(e, False, 1.0)) for e in exs]
            print(f"untuned {path.name} ({len(exs)}): {fmt(tally(rows, kb))} | rules only: {fmt(tally(base, kb))}")
        return
    exs = examples.load(knowledge_folder(), set(kb.categories))
    t0 = time.perf_counter()
    print(f"{len(exs)} examples in {len({e.batch for e in exs})} batches")
    base = [(e, flagged(e, False, 1.0)) for e in exs]
    fresh = [r for r in base if not r[0].batch.startswith("team-")]
    print("rules only, all batches:      ", fmt(tally(base, kb)))
    if fresh:
        print("rules only, fresh batches:    ", fmt(tally(fresh, kb)))
    by_t = run(exs, kb, args.folds)
    for t, rows in by_t.items():
        fr = [r for r in rows if not r[0].batch.startswith("team-")]
        print(f"LOBO t={t:.2f} all: {fmt(tally(rows, kb))}" + (f" | fresh: {fmt(tally(fr, kb))}" if fr else ""))
    t = choose(by_t, kb)
    print(f"chosen threshold {t:.2f} (best LOBO F1 with clean flagged <= 1/16)")
    per = defaultdict(list)
    for r in by_t[t]:
        per[r[0].batch].append(r)
    for b in sorted(per):
        if not b.startswith("team-"):
            print(f"  held-out batch {b}: {fmt(tally(per[b], kb))}")
    if args.curve:
        print("learning curve (LOBO at the chosen threshold, fraction of each fold's training examples):")
        for frac in (0.125, 0.25, 0.5, 0.75, 1.0):
            rows = run(exs, kb, args.folds, frac, thresholds=[t])[t]
            print(f"  {frac:5.3f}: {fmt(tally(rows, kb))}")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
