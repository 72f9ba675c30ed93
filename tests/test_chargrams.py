"""Character n-gram index: folding, cosines, and the vocabulary fitted on chosen rows only."""

from __future__ import annotations

import numpy as np

from bot.chargrams import GramIndex, fold


def test_width_case_and_kana_variants_fold_to_one_spelling():
    assert fold("ｳﾗｱｶ") == fold("ウラアカ") == fold("うらあか")
    assert fold("ＤＭ") == fold("dm") == "dm"


def test_a_text_is_most_similar_to_the_one_sharing_its_phrasing():
    texts = ["裏垢で愚痴を書いた", "公式アカウントで写真を載せる", "鍵垢なら大丈夫？", "写真に子どもが写った",
             "裏垢で愚痴を言うのは", "子どもが写った写真は"]
    index = GramIndex(texts)
    sims = index.sims(["裏垢で愚痴", "子どもが写った", ""])
    assert sims.shape == (3, 6)
    assert set(np.argsort(-sims[0])[:2]) == {0, 4} and set(np.argsort(-sims[1])[:2]) == {3, 5}
    assert not sims[2].any()  # nothing readable: similar to nothing
    assert np.all(sims <= 1.0 + 1e-6)


def test_grams_seen_only_outside_the_fitted_rows_count_for_nothing():
    texts = ["ステマ投稿の件", "ステマ投稿の件", "花火大会の案内", "花火大会の案内"]
    full = GramIndex(texts)
    train_only = GramIndex(texts, fit_rows=[2, 3])
    assert full.sims(["ステマ投稿"])[0, :2].min() > 0.5
    assert not train_only.sims(["ステマ投稿"])[0, :2].any()


def test_an_index_read_back_from_its_bytes_gives_the_same_cosines():
    texts = ["裏垢で愚痴を書いた", "鍵垢なら大丈夫？", "裏垢で愚痴を言うのは", "鍵垢でも見られる"]
    index = GramIndex(texts)
    again = GramIndex.from_bytes(index.to_bytes())
    queries = ["ウラ垢で愚痴", "かぎ垢", ""]
    assert np.array_equal(index.sims(queries), again.sims(queries))
    assert again.sims(["鍵垢"])[0].argmax() in (1, 3)
