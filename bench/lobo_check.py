"""Leave-one-batch-out figures for Check's learned layer (batch = one file of knowledge/screening/examples).

For each fold the model is trained on the other batches only and the held-out batch is checked with the
whole pipeline (rules, laws, detectors and that model). Team batches (``team-*``, the rules were tuned on
them) are pooled into a few folds; every other batch is its own fold (``--groups N`` pools them into N
folds, for a quicker look) and is also reported on its own. The rules' findings are computed once per
example and the learned layer's candidates (every sentence's score) once per fold, so the threshold sweep
costs nothing. The candidates are computed for each weight of the kernel head (``DENSE_GRID``; held-out
examples' sentence vectors are cached: they are knowledge, not drafts). Prints the sweep, the chosen dense
weight and threshold (best LOBO F-score with clean-post false alarms <= 1 in 16), the characters-only figure
beside it, optional per-category thresholds (``--per-category``), per-batch figures and a learning curve.

Run from the project root: python bench/lobo_check.py [--folds 6] [--groups N] [--per-category] [--curve]
       python bench/lobo_check.py --untuned new-batch.tsv …   (score batches before they join the examples)
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.knowledge import current_pack
from bot.screening import check, detectors, examples, laws, learned, learned_candidates
from bot.screening.normalize import DraftText
from bot.screening.rules import knowledge, knowledge_folder

GRID = [round(0.30 + 0.05 * i, 2) for i in range(14)]
DENSE_GRID = [0.0, 0.5, 0.7, 0.85, 1.0]  # weight of the kernel head (0: characters only)
ACT = ("block", "warn")


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
        if want and (cat.private_severity if ex.account == "private" else cat.severity) not in ACT:
            continue  # a matter for care only (e.g. a private post about a shop): neither caught nor missed
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
    return {f.clause for f in v.findings if f.severity in ACT}


def base(ex) -> frozenset[str]:
    """Clauses flagged without the learned layer (rules, laws, detectors)."""
    return frozenset(flagged(ex, False, 1.0))


def _embed_known(texts):
    """Held-out examples are knowledge too: their sentence vectors may be cached (never a draft's)."""
    from bot import semantics

    return semantics.embed(texts, kind="query", cache=True)


def candidates(ex, kb, m, weights=DENSE_GRID) -> dict[float, list[tuple[str, str, float]]]:
    """Per dense weight: (category, clause, score) of the learned layer's candidates that would be
    reported as block/warn."""
    pack = current_pack()
    private = ex.account == "private"
    doc = DraftText(ex.text)
    masked = detectors.masked(doc)
    hits = list(detectors.rules(doc, kb, masked)) + list(laws.hits(doc, kb.laws, masked))
    for det in detectors.DETECTORS:
        hits.extend(det(doc, kb))
    out: dict[float, list] = {}
    for w in weights:
        out[w] = []
        for h, score in learned_candidates(doc, masked, kb, hits, m, floor=min(GRID), dense_weight=w,
                                           embed=_embed_known, account=ex.account):
            cat = kb.categories[h.category]
            clause = pack.resolve(cat.private_clause if private else cat.clause)
            sev = cat.private_severity if private else cat.severity
            if clause and sev in ACT:
                out[w].append((h.category, clause, score))
    return out


def compose(rows, thresholds: dict[str, float] | float, w: float = 0.0, private: float | None = None):
    """rows: (example, base clauses, candidates per dense weight) -> (example, flagged clauses) at
    ``thresholds`` and dense weight ``w`` (``private``: the threshold for private posts, as
    learned.toml's private_threshold; None: the same as the others)."""
    if isinstance(thresholds, dict):
        get = thresholds.get
        default = thresholds.get("", 0.5)
    else:
        default = thresholds

        def get(_c, d):
            return d
    out = []
    for ex, b, cands in rows:
        d = private if private is not None and ex.account == "private" else default
        out.append((ex, set(b) | {cl for cat, cl, s in cands[w] if s >= get(cat, d)}))
    return out


def folds_of(batches: list[str], k: int, groups: int = 0) -> dict[str, int]:
    team = sorted(b for b in batches if b.startswith("team-"))
    out = {b: i % k for i, b in enumerate(team)}
    for j, b in enumerate(sorted(b for b in batches if not b.startswith("team-"))):
        out[b] = k + (j % groups if groups else j)
    return out


def run(exs, kb, k: int, fraction: float = 1.0, seed: int = 0, groups: int = 0, bases=None, log=None):
    """LOBO rows (example, base clauses, candidates) over every fold."""
    batches = sorted({e.batch for e in exs})
    fold = folds_of(batches, k, groups)
    rng = random.Random(seed)
    bases = bases if bases is not None else {id(e): base(e) for e in exs}
    rows = []
    for f in sorted(set(fold.values())):
        train = [e for e in exs if fold[e.batch] != f]
        if fraction < 1:
            train = [e for e in train if rng.random() < fraction]
        test = [e for e in exs if fold[e.batch] == f]
        if not test:
            continue
        t0 = time.perf_counter()
        m = learned.train(train)
        rows.extend((e, bases[id(e)], candidates(e, kb, m)) for e in test)
        if log:
            log(f"  fold {f}: {len(test)} held out, {time.perf_counter() - t0:.0f} s")
    return rows


def f_score(r) -> float:
    rec, prec = r[0], r[1]
    return 2 * rec * prec / max(1e-9, rec + prec)


def ok(r) -> bool:
    return r[2] * 16 <= r[3]


def choose(rows, kb, grid=GRID, weights=DENSE_GRID, private=(None,)) -> tuple[float, float, float | None]:
    """(dense weight, threshold, private posts' threshold) with the best LOBO F-score among those with clean
    flagged <= 1/16. ``private``: the private posts' thresholds to try (None: the same as the others; private
    posts read differently: casual, emoji, dialect)."""
    trip = [(w, t, tp) for w in weights for t in grid for tp in private]
    return max(trip, key=lambda x: (ok(r := tally(compose(rows, x[1], x[0], x[2]), kb)), f_score(r)))


def choose_per_category(rows, kb, start: float, w: float, grid=GRID, rounds: int = 2) -> dict[str, float]:
    """Coordinate ascent from one threshold: each category's own value, keeping clean flagged <= 1/16 and
    the F-score no lower than with the single threshold."""
    th = {"": start}
    cats = sorted({cat for _e, _b, cands in rows for cat, _cl, _s in cands})
    best = tally(compose(rows, th, w), kb)
    for _ in range(rounds):
        for cat in cats:
            for t in grid:
                trial = {**th, cat: t}
                r = tally(compose(rows, trial, w), kb)
                if ok(r) and (f_score(r), r[0]) > (f_score(best), best[0]):
                    th, best = trial, r
    return {c: t for c, t in th.items() if c and t != start}


def fmt(r):
    rec, prec, cfp, clean, tp, fn, fp = r
    return f"recall {rec:.3f} precision {prec:.3f} clean flagged {cfp}/{clean} (tp {tp}, fn {fn}, fp {fp})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=6, help="folds for the pooled team-* batches")
    ap.add_argument("--groups", type=int, default=0, help="pool the other batches into this many folds (0: one each)")
    ap.add_argument("--per-category", action="store_true", help="also choose a threshold per category")
    ap.add_argument("--curve", action="store_true")
    ap.add_argument("--weights", type=str, default="", help="kernel-head weights to sweep, comma-separated (default: DENSE_GRID)")
    ap.add_argument("--untuned", nargs="*", type=Path, default=[],
                    help="new batch files, scored before they join the examples (current model and threshold)")
    args = ap.parse_args()
    if args.weights:  # in place: the functions' defaults are this list
        DENSE_GRID[:] = [float(w) for w in args.weights.split(",")]
    kb = knowledge()
    if args.untuned:
        for path in args.untuned:
            exs, errors = examples.parse(path.read_text(encoding="utf-8"), path.name, set(kb.categories))
            if errors:
                print(path.name, errors[:3])
            rows = [(e, flagged(e, None, None)) for e in exs]
            rules_only = [(e, flagged(e, False, 1.0)) for e in exs]
            print(f"untuned {path.name} ({len(exs)}): {fmt(tally(rows, kb))} | rules only: {fmt(tally(rules_only, kb))}")
        return
    exs = examples.load(knowledge_folder(), set(kb.categories))
    t0 = time.perf_counter()
    print(f"{len(exs)} examples in {len({e.batch for e in exs})} batches")
    bases = {id(e): base(e) for e in exs}
    rules_rows = [(e, set(bases[id(e)])) for e in exs]
    fresh = [r for r in rules_rows if not r[0].batch.startswith("team-")]
    print("rules only, all batches:      ", fmt(tally(rules_rows, kb)))
    print("rules only, fresh batches:    ", fmt(tally(fresh, kb)))
    rows = run(exs, kb, args.folds, groups=args.groups, bases=bases, log=print)
    fresh_rows = [r for r in rows if not r[0].batch.startswith("team-")]
    for w in DENSE_GRID:
        for t in GRID:
            print(f"LOBO w={w:.2f} t={t:.2f} all: {fmt(tally(compose(rows, t, w), kb))} | "
                  f"fresh: {fmt(tally(compose(fresh_rows, t, w), kb))}")
    w, t, _ = choose(rows, kb)
    chosen: dict[str, float] | float = t
    print(f"chosen dense weight {w:.2f}, threshold {t:.2f} (best LOBO F1 with clean flagged <= 1/16): "
          f"{fmt(tally(compose(rows, t, w), kb))}")
    pw, pt, ptp = choose(rows, kb, private=GRID)
    print(f"with a threshold of its own for private posts: dense weight {pw:.2f}, threshold {pt:.2f}, "
          f"private_threshold {ptp:.2f}: {fmt(tally(compose(rows, pt, pw, ptp), kb))}")
    for acct in ("official", "private"):
        part = [r for r in rows if r[0].account == acct]
        print(f"  {acct} posts: one threshold {fmt(tally(compose(part, t, w), kb))} | "
              f"own threshold {fmt(tally(compose(part, pt, pw, ptp), kb))}")
    t0_only = choose(rows, kb, weights=[0.0])[1]
    print(f"characters only (w=0) at its best threshold {t0_only:.2f}: {fmt(tally(compose(rows, t0_only, 0.0), kb))}")
    if args.per_category:
        per = choose_per_category(rows, kb, t, w)
        chosen = {"": t, **per}
        print(f"per-category thresholds {per}: {fmt(tally(compose(rows, chosen, w), kb))} | "
              f"fresh: {fmt(tally(compose(fresh_rows, chosen, w), kb))}")
    per_batch = defaultdict(list)
    for r in compose(rows, chosen, w):
        per_batch[r[0].batch].append(r)
    for b in sorted(per_batch):
        if not b.startswith("team-"):
            print(f"  held-out batch {b}: {fmt(tally(per_batch[b], kb))}")
    if args.curve:
        print("learning curve (LOBO at the chosen weight and thresholds, fraction of each fold's training examples):")
        for frac in (0.125, 0.25, 0.5, 0.75):
            part = run(exs, kb, args.folds, frac, groups=args.groups, bases=bases)
            print(f"  {frac:5.3f}: {fmt(tally(compose(part, chosen, w), kb))}")
        print(f"  1.000: {fmt(tally(compose(rows, chosen, w), kb))}")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
