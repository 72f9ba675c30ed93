"""Write what a fresh database would otherwise compute before its first answer, from the shipped knowledge:

- bot/semantics/seed_vectors.npz: vectors of the knowledge texts — the pack's clauses and summaries, Ask's
  example questions and the sentences Check's learned layer trains on — keyed like the database cache
  (model build + kind + text);
- bot/search/seed_params.json: Ask's trained ranking parameters, keyed by the digest of what they were
  trained on;
- bot/screening/seed_weights.bin: Check's learned-layer weights, keyed by the hash of its examples.

Run after adding example batches (or editing the shipped knowledge) so that a fresh database answers its
first question and checks its first draft in seconds instead of ~40 s. Each file is used only while its key
matches the knowledge; after an edit the bot trains as usual. A test fails when they are out of date.

    python tools/seed_vectors.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import semantics  # noqa: E402
from bot.screening import examples as check_examples  # noqa: E402
from bot.screening import learned  # noqa: E402
from bot.screening.rules import knowledge, knowledge_folder  # noqa: E402
from bot.search import semantic  # noqa: E402
from bot.search.index import current_index  # noqa: E402
from bot.semantics import seed  # noqa: E402


def main() -> None:
    idx = current_index()
    sem = semantic.current(idx)
    clauses = [d.clause for d in idx.docs]
    passages = [semantic.clause_passage(c) for c in clauses]
    summaries = [sem.summaries.get(c.id) or passages[i] for i, c in enumerate(clauses)]
    questions = [e.text for e in sem.examples if e.batch != "soumu-labelled"]
    kb = knowledge()
    units, _labels = learned.units(check_examples.load(knowledge_folder(), set(kb.categories)))
    items = {}
    for texts, kind in ((passages + summaries, "passage"), (questions + units, "query")):
        vecs = semantics.embed(texts, kind=kind, cache=True,
                               progress=lambda done, todo: print(f"  {done}/{todo}", end="\r", flush=True))
        for t, v in zip(texts, vecs):
            items[semantics.content_key(semantics._prepare(t), kind)] = v
    seed.write(items)
    print(f"{seed.SEED_FILE}: {len(items)} vectors ({seed.SEED_FILE.stat().st_size / 1e6:.1f} MB)")
    semantic.write_seed(idx, semantic.current(idx))
    print(f"{semantic.SEED_FILE}: Ask's parameters")
    m = learned.model(knowledge_folder(), set(kb.categories))
    learned.write_seed(m)
    print(f"{learned.SEED_FILE}: Check's weights ({learned.SEED_FILE.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
