"""What ships with the bot for its own knowledge (tools/seed_vectors.py): vectors, Ask's parameters and Check's
weights. They must match the shipped knowledge — else a fresh database trains for ~40 s before its first
answer — and must never be used for knowledge they were not made from."""

from __future__ import annotations

import pytest

from bot import semantics
from bot.screening import examples as check_examples
from bot.screening import learned
from bot.screening.rules import knowledge, knowledge_folder
from bot.search import semantic
from bot.search.examples import LEARNED_BATCH
from bot.search.index import current_index
from bot.semantics import seed

STALE = "out of date: run `python tools/seed_vectors.py` after editing the knowledge"


def _check_key() -> str:
    return learned.model_key(check_examples.content_hash(knowledge_folder()))


def _ask_digest() -> str:
    idx = current_index()
    sem = semantic.current(idx)
    n = sum(1 for e in sem.examples if e.batch != LEARNED_BATCH)
    return semantic._train_digest(idx, sem, n)


def test_shipped_vectors_hold_every_knowledge_text():
    idx = current_index()
    sem = semantic.current(idx)
    passages = [semantic.clause_passage(d.clause) for d in idx.docs]
    units, _ = learned.units(check_examples.load(knowledge_folder(), set(knowledge().categories)))
    keys = [semantics.content_key(semantics._prepare(t), "passage") for t in passages]
    keys += [semantics.content_key(semantics._prepare(e.text), "query") for e in sem.examples
             if e.batch != LEARNED_BATCH]
    keys += [semantics.content_key(semantics._prepare(t), "query") for t in units]
    missing = set(keys) - set(seed.lookup(keys))
    assert not missing, f"seed_vectors.npz lacks {len(missing)} of {len(set(keys))} knowledge texts: {STALE}"


def test_shipped_check_weights_match_the_shipped_examples():
    assert learned.seeded(_check_key()) is not None, f"bot/screening/seed_weights.bin is {STALE}"


def test_shipped_ask_parameters_match_the_shipped_knowledge():
    assert semantic.seeded_params(_ask_digest()) is not None, f"bot/search/seed_params.json is {STALE}"


def test_check_weights_for_other_examples_are_not_used(tmp_path):
    path = tmp_path / "weights.bin"
    m = learned.Model.from_bytes("a" * 64, learned.seeded(_check_key()))
    learned.write_seed(m, path)
    assert learned.seeded("a" * 64, path) == m.to_bytes()
    assert learned.seeded("b" * 64, path) is None  # edited examples: trained as usual
    path.write_bytes(b"\xff\xfe broken")
    assert learned.seeded("a" * 64, path) is None
    assert learned.seeded("a" * 64, tmp_path / "absent.bin") is None


def test_ask_parameters_for_other_knowledge_are_not_used(tmp_path):
    path = tmp_path / "params.json"
    semantic.write_seed(current_index(), semantic.current(current_index()), path)
    digest = _ask_digest()
    assert semantic.seeded_params(digest, path) is not None
    assert semantic.seeded_params("0" * 64, path) is None
    path.write_text("{not json", encoding="utf-8")
    assert semantic.seeded_params(digest, path) is None


@pytest.fixture
def no_training(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("trained although the shipped weights match")

    monkeypatch.setattr(learned, "_train_apart", refuse)
    monkeypatch.setattr(semantic, "_train_apart", refuse)
    learned.clear_memory()
    semantic._cache.clear()
    semantic._params_memo.clear()


def test_a_fresh_database_checks_its_first_draft_without_training(no_training):
    from bot.screening import check

    verdict = check("明日の議会で決まる前ですが、新しい体育館は駅前に建つことになったそうです。")
    assert verdict.findings


def test_a_fresh_database_answers_its_first_question_without_training(no_training):
    from bot.search import ask

    result = ask("休みの日に自分のインスタで役場の仕事のことを書いてもいいですか")
    assert result.answered and result.clauses
