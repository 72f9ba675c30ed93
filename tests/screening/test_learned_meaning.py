"""Check's learned layer, kernel head: sentence vectors (bot.semantics) and character grams, mixed with the
character model."""

from __future__ import annotations

import numpy as np
import pytest

from bot import store
from bot.screening import check, examples, learned
from bot.screening.rules import RulesError, knowledge
from bot.semantics import DIM

ROWS = [
    ("片付けで出たゴミは庭でまとめて燃やしました。", "illegal"),
    ("いらない木材は畑で燃やして処分するのが早いです。", "illegal"),
    ("週末に残ったゴミも裏庭で焼いておきます。", "illegal"),
    ("草刈りのあとの枯れ草はその場で焼却しました。", "illegal"),
    ("古い家具を壊して、ドラム缶で燃やしました。", "illegal"),
    ("今日はよい天気で、散歩が気持ちよかったです。", "-"),
    ("図書館の開館時間は午前10時から午後6時までです。", "-"),
    ("新しいパン屋さんのクロワッサンがおいしかった。", "-"),
    ("町民センターで書道教室を開きます。", "-"),
    ("今年も雪が多くて、除雪が大変です。", "-"),
    ("子どもと一緒に公園で遊びました。", "-"),
    ("秋の収穫祭は来週の日曜日に開かれます。", "-"),
]


@pytest.fixture(scope="module")
def tiny():
    raw = "\n".join(f"{t}\t{c}\tprivate" for t, c in ROWS)
    exs, errors = examples.parse(raw, "tiny.tsv", set(knowledge().categories))
    assert not errors
    return learned.train(exs, epochs=200)


# paraphrases that share little of the examples' wording
IMPLIED = ["物置の不用品、業者に頼まず敷地内で火をつけて片付けちゃいました。"]
CLEAN = ["来月の収穫祭では、地元の野菜を販売します。"]


def test_the_meaning_head_raises_a_paraphrase_the_characters_alone_miss(tiny, monkeypatch):
    monkeypatch.setattr(learned, "GATE", 0.0)  # the kernel head itself (the gate is the next test's)
    for text in IMPLIED:
        [(_s, _e, _c, chars)] = learned.scored(tiny, text)
        [(_s, _e, cat, mixed)] = learned.scored(tiny, text, dense_weight=0.6)
        assert cat == "illegal"
        assert mixed > chars + 0.1, (text, chars, mixed)
    for text in CLEAN:
        [(_s, _e, _c, mixed)] = learned.scored(tiny, text, dense_weight=0.6)
        assert mixed < 0.5, (text, mixed)


def test_only_sentences_that_could_reach_the_threshold_are_embedded(tiny):
    seen: list[str] = []

    def spy(texts):
        seen.extend(texts)
        return np.zeros((len(texts), DIM), dtype=np.float32) + 0.05

    draft = "今日はよい天気で、散歩が気持ちよかったです。ゴミは庭でまとめて燃やしました。"
    out = learned.scored(tiny, draft, dense_weight=0.5, floor=0.9, embed=spy)
    assert seen == ["ゴミは庭でまとめて燃やしました。"]
    # the sentence not consulted keeps a lower bound under the floor
    weather = [score for s, _e, _c, score in out if s == 0]
    assert weather and weather[0] < 0.9
    seen.clear()
    learned.scored(tiny, draft, dense_weight=0.0, floor=0.0, embed=spy)
    assert seen == []  # weight 0: characters only, nothing embedded


def test_a_model_without_the_meaning_head_ignores_the_weight():
    raw = "\n".join(f"{t}\t{c}\tprivate" for t, c in ROWS)
    exs, _ = examples.parse(raw, "tiny.tsv", set(knowledge().categories))
    m = learned.train(exs, epochs=50, dense=False)
    assert m.ka is None
    assert learned.scored(m, IMPLIED[0], dense_weight=0.6) == learned.scored(m, IMPLIED[0])


def test_the_meaning_head_survives_the_database_cache(tiny):
    again = learned.Model.from_bytes(tiny.key, tiny.to_bytes())
    assert again.ka is not None and np.allclose(again.ka, tiny.ka, atol=1e-6)
    [(s1, e1, c1, score1)] = learned.scored(again, IMPLIED[0], dense_weight=0.6)
    [(s2, e2, c2, score2)] = learned.scored(tiny, IMPLIED[0], dense_weight=0.6)
    assert (s1, e1, c1) == (s2, e2, c2) and score1 == pytest.approx(score2, abs=1e-3)


def _toy(n: int = 40, seed: int = 1):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    from scipy import sparse

    x = sparse.random(n, 30, density=0.2, random_state=seed, format="csr", dtype=np.float32)
    x = sparse.csr_matrix(x.multiply(1 / np.maximum(np.sqrt(x.multiply(x).sum(axis=1)), 1e-6)))
    y = np.zeros((n, 3), dtype=np.float32)
    y[np.arange(n), rng.integers(0, 3, n)] = 1
    return v, x, y


def test_the_kernel_head_is_exact_kernel_ridge_when_the_sentences_fit_in_one_part():
    v, x, y = _toy()
    order, a = learned._kernel_ridge(v, x, y, lam=0.1, size=100)
    k = learned._kernel(v, x, v, x).astype(np.float64) + 0.1 * np.eye(len(v))
    assert np.array_equal(order, np.arange(len(v)))
    assert np.allclose(a, np.linalg.solve(k, y), atol=1e-4)


def test_in_parts_the_kernel_head_averages_each_parts_exact_solution():
    v, x, y = _toy()
    order, a = learned._kernel_ridge(v, x, y, lam=0.1, size=15)  # 3 parts
    q = v[:5], x[:5]
    got = learned._kernel(*q, v[order], x[order]) @ a
    want = 0
    split = learned.parts(len(v), 15)
    assert len(split) == 3 and sorted(np.concatenate(split)) == list(range(len(v)))
    for idx in split:
        k = learned._kernel(v[idx], x[idx], v[idx], x[idx]).astype(np.float64) + 0.1 * np.eye(len(idx))
        want = want + learned._kernel(*q, v[idx], x[idx]) @ np.linalg.solve(k, y[idx]) / 3
    assert np.allclose(got, want, atol=1e-4)


def test_checking_a_draft_stores_no_vector(bot_db):
    before = store.db()["vectors"].count if "vectors" in store.db().table_names() else 0
    draft = "物置の不用品を敷地内で燃やして片付けました。担当の山田花子さんに感謝します。"
    check(draft, account="private", threshold=0.3)
    check(draft, account="official", threshold=0.3)
    after = store.db()["vectors"].count if "vectors" in store.db().table_names() else 0
    assert after == before
    store.close_all()
    assert "山田花子".encode() not in bot_db.read_bytes()


@pytest.mark.parametrize("value", ["1.5", "-0.1", "true", '"0.5"'])
def test_dense_weight_must_be_a_number_from_0_to_1(knowledge_copy, value):
    path = knowledge_copy / "learned.toml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("dense_weight")]
    path.write_text("\n".join(lines + [f"dense_weight = {value}"]) + "\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"^screening/learned.toml \d+行目: dense_weight は 0 以上 1 以下の数"):
        knowledge()


def test_a_name_in_the_sentence_leaves_it_to_the_learned_layer():
    """A detector's hit (here a person's name) does not keep the learned layer off the rest of its sentence."""
    rows = [
        ("今度の日曜、後援会の集まりがあるのでぜひ来てください。", "politics"),
        ("応援している人の集会に皆さんも顔を出してください。", "politics"),
        ("次の選挙でもあの人をよろしくと近所に声をかけています。", "politics"),
        ("集会では名前を書いて帰ってくださいね。", "politics"),
        ("今日はよい天気で、散歩が気持ちよかったです。", "-"),
        ("図書館の開館時間は午前10時から午後6時までです。", "-"),
        ("町民センターで書道教室を開きます。", "-"),
        ("今年も雪が多くて、除雪が大変です。", "-"),
    ]
    exs, errors = examples.parse("\n".join(f"{t}\t{c}\tofficial" for t, c in rows), "tiny.tsv",
                                 set(knowledge().categories))
    assert not errors
    m = learned.train(exs, epochs=200, dense=False)
    draft = "日曜は藤原けんじさんを応援する人の集まりがあるので、皆さんも顔を出してください。"
    clauses = [f.clause for f in check(draft, model=m, threshold=0.5).findings]
    assert clauses and clauses[0] == knowledge().categories["politics"].clause, clauses


def test_private_posts_use_their_own_threshold(tiny, knowledge_copy):
    """learned.toml private_threshold: the learned layer's bar for private posts (chosen by LOBO apart from
    official posts'); without it both use threshold."""
    path = knowledge_copy / "learned.toml"
    base = [line for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith(("threshold", "private_threshold", "dense_weight"))]
    draft = "いらない木材は畑でまとめて処分しました。"  # no rule's words; the character head ≈ 0.9

    def found(account: str) -> list[str]:
        return [f.category for f in check(draft, account=account, model=tiny).findings]

    path.write_text("\n".join([*base, "threshold = 0.3", "dense_weight = 0.0"]) + "\n", encoding="utf-8")
    assert knowledge().learned_private_threshold is None
    assert "illegal" in found("private") and "illegal" in found("official")
    path.write_text("\n".join([*base, "threshold = 0.3", "private_threshold = 0.99", "dense_weight = 0.0"]) + "\n",
                    encoding="utf-8")
    assert knowledge().learned_private_threshold == 0.99
    assert "illegal" not in found("private") and "illegal" in found("official")
    path.write_text("\n".join([*base, "private_threshold = 1.5"]) + "\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"^screening/learned.toml \d+行目: private_threshold は 0 より大きく 1 より小さい数"):
        knowledge()
