"""Write bot/search/seed_vectors.npz: vectors of the pack's clauses, summaries and example questions, keyed
like the database cache (model build + kind + text). Run after adding example batches so that a fresh
database answers its first question in seconds instead of embedding every example first.

    python tools/seed_vectors.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import semantics  # noqa: E402
from bot.search import semantic  # noqa: E402
from bot.search.index import current_index  # noqa: E402


def main() -> None:
    idx = current_index()
    sem = semantic.current(idx)
    clauses = [d.clause for d in idx.docs]
    passages = [semantic.clause_passage(c) for c in clauses]
    summaries = [sem.summaries.get(c.id) or passages[i] for i, c in enumerate(clauses)]
    items = {}
    for texts, kind in ((passages + summaries, "passage"), ([e.text for e in sem.examples if e.batch != "soumu-labelled"], "query")):
        vecs = semantics.embed(texts, kind=kind, cache=True)
        for t, v in zip(texts, vecs):
            items[semantics.content_key(semantics._prepare(t), kind)] = v
    keys = np.array(list(items), dtype="U64")
    vectors = np.stack(list(items.values())).astype(np.float32)
    np.savez_compressed(semantic.SEED_FILE, keys=keys, vectors=vectors)
    print(f"{semantic.SEED_FILE}: {len(keys)} vectors ({semantic.SEED_FILE.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
