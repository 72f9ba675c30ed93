"""The ranking's trained parts on a small synthetic pack: the probes and the stored parameters."""

from __future__ import annotations

import numpy as np

from bot.chargrams import GramIndex
from bot.search import rank

DIM, CLAUSES, PER_BATCH, BATCHES = 16, 4, 12, 6


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _pack(seed: int = 0):
    """Examples spread widely around one direction per clause (4 clauses) plus 範囲外 around a fifth,
    written in 6 batches; the clause texts point somewhere unhelpful so only the examples teach."""
    rng = np.random.default_rng(seed)
    centres = _unit(rng.normal(size=(CLAUSES + 1, DIM)))
    labels, vecs, batches = [], [], []
    for b in range(BATCHES):
        for i in range(PER_BATCH):
            k = i % (CLAUSES + 1)
            vecs.append(_unit(centres[k] + 0.9 * rng.normal(size=DIM) / np.sqrt(DIM) * 3))
            labels.append(k)
            batches.append(b)
    vecs, labels, batches = np.array(vecs, dtype=np.float32), np.array(labels), np.array(batches)
    gold = np.zeros((len(labels), CLAUSES), dtype=bool)
    gold[labels < CLAUSES, labels[labels < CLAUSES]] = True
    clause_vecs = _unit(rng.normal(size=(CLAUSES, DIM))).astype(np.float32)
    return centres, vecs, gold, labels == CLAUSES, batches, clause_vecs


def _signals(qv, pool, gold, oos, allowed, clause_vecs, chars=None) -> rank.Signals:
    """Signals as semantic._signals builds them; ``chars``: character-gram cosines to the pool (none: all 0)."""
    n = len(qv)
    knn = rank.example_signals(qv @ pool.T, gold, oos, allowed)
    chars = np.zeros((n, len(pool)), dtype=np.float32) if chars is None else chars
    knn.update(rank.char_signals(chars, gold, oos, allowed))
    return rank.Signals(
        lex=np.zeros((n, CLAUSES), dtype=np.float32), coverage=np.ones(n, dtype=np.float32),
        specific=np.ones(n, dtype=bool), dense_clause=qv @ clause_vecs.T, dense_summary=qv @ clause_vecs.T,
        qv=qv.astype(np.float32), probe=np.zeros((n, 0), dtype=np.float32),
        kern=rank.kernel(qv @ pool.T, chars), **knn)


def _train(vecs, gold, oos, batches, clause_vecs) -> rank.Params:
    allowed = batches[:, None] != batches[None, :]  # neighbours from other batches, as in semantic.train
    sig = _signals(vecs, vecs, gold, oos, allowed, clause_vecs)
    return rank.fit(sig, gold, ~oos, batches, np.zeros(CLAUSES, dtype=bool))


def test_probe_answers_a_question_near_a_clause_s_examples_as_a_whole():
    centres, vecs, gold, oos, batches, clause_vecs = _pack()
    p = _train(vecs, gold, oos, batches, clause_vecs)
    questions = _unit(centres[:CLAUSES]).astype(np.float32)  # the middle of each clause's examples
    sig = _signals(questions, vecs, gold, oos, np.ones((CLAUSES, len(vecs)), dtype=bool), clause_vecs)
    decisions = rank.decide_arrays(sig, p, np.zeros(CLAUSES, dtype=bool), oos, gold)
    assert [d.shown[0][0] if d.answered else None for d in decisions] == list(range(CLAUSES))
    out = _signals(_unit(centres[CLAUSES:]).astype(np.float32), vecs, gold, oos,
                   np.ones((1, len(vecs)), dtype=bool), clause_vecs)
    assert not rank.decide_arrays(out, p, np.zeros(CLAUSES, dtype=bool), oos, gold)[0].answered


def test_stored_parameters_give_the_same_answers_after_a_restart():
    centres, vecs, gold, oos, batches, clause_vecs = _pack(1)
    p = _train(vecs, gold, oos, batches, clause_vecs)
    again = rank.Params.from_json(p.to_json())
    rng = np.random.default_rng(7)
    qs = _unit(centres[rng.integers(0, CLAUSES + 1, 20)] + 0.3 * rng.normal(size=(20, DIM))).astype(np.float32)
    sig = _signals(qs, vecs, gold, oos, np.ones((20, len(vecs)), dtype=bool), clause_vecs)
    parents = np.zeros(CLAUSES, dtype=bool)
    a = rank.decide_arrays(sig, p, parents, oos, gold)
    b = rank.decide_arrays(sig, again, parents, oos, gold)
    assert [(d.answered, d.shown) for d in a] == [(d.answered, d.shown) for d in b]


def test_ridge_probe_recovers_a_linear_map():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 5))
    w = rng.normal(size=(5, 2))
    y = x @ w + 0.5
    got = rank.ridge_probe(x, y, lam=1e-6)
    assert np.allclose(got[:-1], w, atol=1e-4) and np.allclose(got[-1], 0.5, atol=1e-4)


def test_first_right_chance_discounts_clauses_below_a_likely_right_one():
    chance = rank.first_right_chance(np.array([[0.9, 0.5, 0.5], [0.4, 0.4, 0.4]]))
    assert np.allclose(chance, [[0.9, 0.05, 0.025], [0.4, 0.24, 0.144]])


def test_shown_clauses_follow_the_bar_and_never_pad():
    p = rank.Params(pair_coef=[1.0], show_bar=0.1)
    assert [k for k, _ in rank.shown_clauses(np.array([0.1, 0.95, 0.6, 0.0]), p)] == [1]  # 0.05 × 0.6 < 0.1
    assert [k for k, _ in rank.shown_clauses(np.array([0.4, 0.5, 0.45, 0.0]), p)] == [1, 2, 0]
    assert [k for k, _ in rank.shown_clauses(np.array([10.2, 0.9, 10.1]), p, twin=True)] == [0, 2]


def test_tune_bar_keeps_the_average_within_the_budget():
    rng = np.random.default_rng(1)
    vals = -np.sort(-rng.uniform(size=(400, 3)), axis=1)
    hits = rng.uniform(size=(400, 3)) < vals
    bar = rank.tune_bar(vals, hits)
    shown = rank.first_right_chance(vals) >= bar
    shown[:, 0] = True
    assert shown.sum(axis=1).mean() <= rank.MAX_AVG_SHOWN
    assert rank.tune_bar(vals, hits) == bar


def test_surface_neighbours_answer_where_the_meaning_vectors_say_nothing():
    # Each clause's examples share a word (slang the sentence vectors do not know); their vectors are noise.
    rng = np.random.default_rng(3)
    words = ["うらあか", "カギ垢", "ﾊﾞｽﾞ", "ステマ", None]  # None: 範囲外, written with ordinary words
    filler = list("今日明日役場町内写真投稿確認担当住民会議予定")
    texts, labels, batches = [], [], []
    for b in range(BATCHES):
        for i in range(PER_BATCH):
            k = i % (CLAUSES + 1)
            noise = "".join(rng.choice(filler, 6))
            texts.append(f"{noise}{words[k]}って大丈夫？" if words[k] else f"{noise}の件について")
            labels.append(k)
            batches.append(b)
    labels, batches = np.array(labels), np.array(batches)
    gold = np.zeros((len(labels), CLAUSES), dtype=bool)
    gold[labels < CLAUSES, labels[labels < CLAUSES]] = True
    oos = labels == CLAUSES
    vecs = _unit(rng.normal(size=(len(texts), DIM))).astype(np.float32)
    clause_vecs = _unit(rng.normal(size=(CLAUSES, DIM))).astype(np.float32)
    index = GramIndex(texts)
    allowed = batches[:, None] != batches[None, :]
    sig = _signals(vecs, vecs, gold, oos, allowed, clause_vecs, chars=index.sims(texts))
    p = rank.fit(sig, gold, ~oos, batches, np.zeros(CLAUSES, dtype=bool))
    questions = ["ウラアカで愚痴るのはまずい？", "かぎ垢なら平気ですか", "バズったらどうする", "ｽﾃﾏってなんですか"]
    qv = _unit(rng.normal(size=(len(questions), DIM))).astype(np.float32)
    qsig = _signals(qv, vecs, gold, oos, np.ones((len(questions), len(texts)), dtype=bool), clause_vecs,
                    chars=index.sims(questions))
    decisions = rank.decide_arrays(qsig, p, np.zeros(CLAUSES, dtype=bool), oos, gold)
    assert [d.shown[0][0] if d.answered else None for d in decisions] == list(range(CLAUSES))


def test_kernel_probe_learns_a_clause_whose_examples_sit_on_opposite_sides():
    # Clause 0's examples gather around +c and -c: no linear map of the vector separates them, the kernel does.
    rng = np.random.default_rng(5)
    c = _unit(rng.normal(size=(3, DIM)))
    centres = [c[0], -c[0], c[1], -c[1], c[2]]  # clause 0 twice, clause 1 twice, 範囲外
    cls = [0, 0, 1, 1, 2]
    vecs, labels, batches = [], [], []
    for b in range(BATCHES):
        for i in range(PER_BATCH):
            k = i % len(centres)
            vecs.append(_unit(centres[k] + 0.15 * rng.normal(size=DIM)))
            labels.append(cls[k])
            batches.append(b)
    vecs, labels, batches = np.array(vecs, dtype=np.float32), np.array(labels), np.array(batches)
    y = rank.probe_targets(np.eye(3, 2, dtype=bool)[labels], labels < 2)
    chars = np.zeros((len(vecs), len(vecs)), dtype=np.float32)
    alpha = rank.kernel_probe(rank.kernel(vecs @ vecs.T, chars), y)
    p = rank.Params()
    p.set_kprobe(alpha)
    qv = _unit(np.array(centres)).astype(np.float32)
    sig = rank.Signals(**{k: None for k in rank.Signals.__dataclass_fields__})
    sig.kern, sig.kprobe = rank.kernel(qv @ vecs.T, np.zeros((len(qv), len(vecs)), dtype=np.float32)), None
    out = rank.kprobe_of(sig, p)
    assert list(out.argmax(axis=1)) == [0, 0, 1, 1, 2]
    lin = rank.ridge_probe(vecs, y)
    assert list((qv @ lin[:-1] + lin[-1]).argmax(axis=1)) != [0, 0, 1, 1, 2]  # what the linear probe cannot do
