"""Leave-one-batch-out cross-validation of Ask over the example files, a learning curve, and scores of
question sets (a new batch before it is added, or a measurement-only set).

    python bench/ask_cv.py                      # LOBO per batch + learning curve
    python bench/ask_cv.py --score FILE.tsv     # score a set with the shipped system (untuned figure)
    python bench/ask_cv.py --no-curve

Each held-out batch is scored by a system trained without it: weights, margin, classifier and threshold
are fitted on the other batches, whose kNN signals use only batches other than their own and the held-out
one; the held-out batch's questions use only the other batches as neighbours.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.chargrams import GramIndex
from bot.search import rank, semantic
from bot.search.index import current_index


def metrics(decisions, sem, rows) -> dict:
    n = h1 = h3 = ans = oos = refused = shown = 0
    for d, i in zip(decisions, rows):
        ex = sem.examples[i]
        if not ex.in_scope:
            oos += 1
            refused += not d.answered
            continue
        n += 1
        ids = [k for k, _ in d.shown] if d.answered else []
        ans += d.answered
        shown += len(ids)
        h1 += bool(ids) and bool(sem.labels[i, ids[0]])
        h3 += any(sem.labels[i, k] for k in ids[:3])
    return dict(n=n, top1=h1 / max(n, 1), top3=h3 / max(n, 1), answered=ans / max(n, 1), oos=oos,
                refused=refused, avg_shown=shown / max(ans, 1), h1=h1, h3=h3, ans=ans, shown=shown)


def fold(idx, sem, train_rows: np.ndarray, test_rows: np.ndarray):
    # the character-gram vocabulary and IDF from the training rows only, as a new question would meet them
    sem = dataclasses.replace(sem, grams=GramIndex([e.text for e in sem.examples], fit_rows=train_rows))
    batches = semantic.batch_ids(sem.examples)
    nall = len(sem.examples)
    pool = np.zeros(nall, dtype=bool)
    pool[train_rows] = True
    allowed = pool[None, :] & (batches[train_rows][:, None] != batches[None, :])
    sig = semantic.training_signals(idx, sem, train_rows, allowed)
    p = rank.fit(sig, sem.labels[train_rows], ~sem.oos[train_rows], batches[train_rows], sem.parents,
                 pool_rows=train_rows)
    tsig = semantic.training_signals(idx, sem, test_rows, np.repeat(pool[None, :], len(test_rows), axis=0))
    return rank.decide_arrays(tsig, p, sem.parents, sem.oos, sem.labels), p


def fmt(m: dict) -> str:
    return (f"top-1 {m['top1']:.3f}  top-3 {m['top3']:.3f}  answered {m['answered']:.3f}  "
            f"範囲外 refused {m['refused']}/{m['oos']}  shown {m['avg_shown']:.2f}  (n={m['n']})")


def lobo(idx, sem, curve: bool) -> None:
    n_files = sum(1 for e in sem.examples if e.batch != "soumu-labelled")
    ex = sem.examples[:n_files]
    batches = semantic.batch_ids(ex)
    names = list(dict.fromkeys(e.batch for e in ex))
    print(f"{n_files} examples in {len(names)} batches; leave-one-batch-out:")
    total = []
    for b, name in enumerate(names):
        test = np.flatnonzero(batches == b)
        train = np.flatnonzero(batches != b)
        dec, p = fold(idx, sem, train, test)
        m = metrics(dec, sem, test)
        total.append(m)
        print(f"  {name:<28} {fmt(m)}  [w={p.wl:.1f}/{p.wd:.1f}/{p.wk:.1f} t={p.threshold:.2f} bar={p.show_bar:.3f}]")
    agg = {k: sum(m[k] for m in total) for k in ("n", "h1", "h3", "ans", "oos", "refused", "shown")}
    print(f"  {'ALL (pooled)':<28} top-1 {agg['h1'] / agg['n']:.3f}  top-3 {agg['h3'] / agg['n']:.3f}  "
          f"answered {agg['ans'] / agg['n']:.3f}  範囲外 refused {agg['refused']}/{agg['oos']}  "
          f"shown {agg['shown'] / max(agg['ans'], 1):.2f}  right one shown when answered {agg['h3'] / max(agg['ans'], 1):.3f}  "
          f"batch shown max {max(m['avg_shown'] for m in total):.2f}")
    if not curve:
        return
    print("learning curve (examples used for training and as neighbours → held-out top-1, pooled over batches):")
    rng = np.random.default_rng(0)
    for frac in (0.1, 0.25, 0.5, 0.75, 1.0):
        h1 = n = used = 0
        for b in range(len(names)):
            test = np.flatnonzero(batches == b)
            others = np.flatnonzero(batches != b)
            train = np.sort(rng.choice(others, size=max(10, int(len(others) * frac)), replace=False))
            if len(np.unique(sem.oos[train])) < 2 or len(np.unique(batches[train])) < 2:
                continue
            dec, _ = fold(idx, sem, train, test)
            m = metrics(dec, sem, test)
            h1 += m["h1"]
            n += m["n"]
            used += len(train)
        print(f"  {frac:>4.0%}  ~{used // len(names):>5} examples  top-1 {h1 / max(n, 1):.3f}")


def score_file(path: Path) -> None:
    from bot.search import ask

    rows = [l.rstrip("\n").split("\t") for l in path.read_text(encoding="utf-8").splitlines()
            if l.strip() and not l.startswith("#")]
    n = h1 = h3 = ans = oos = refused = shown = 0
    t = time.perf_counter()
    for q, e in rows:
        a = ask(q)
        ids = [c.clause.id for c in a.clauses]
        if e.strip() in ("-", "範囲外"):
            oos += 1
            refused += not a.answered
            continue
        exp = [x.strip() for x in e.split(",")]
        n += 1
        ans += a.answered
        shown += len(ids)
        h1 += bool(ids) and any(rank.under(ids[0], x) for x in exp)
        h3 += any(rank.under(i, x) for i in ids[:3] for x in exp)
    wall = time.perf_counter() - t
    print(f"{path.name}: top-1 {h1 / max(n, 1):.3f}  top-3 {h3 / max(n, 1):.3f}  answered {ans / max(n, 1):.3f}  "
          f"範囲外 refused {refused}/{oos}  shown {shown / max(ans, 1):.2f}  (n={n}, {wall:.1f} s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--score", nargs="*", type=Path, default=None)
    ap.add_argument("--no-curve", action="store_true")
    args = ap.parse_args()
    if args.score:
        for path in args.score:
            score_file(path)
        return
    idx = current_index()
    sem = semantic.current(idx)
    lobo(idx, sem, not args.no_curve)


if __name__ == "__main__":
    main()
