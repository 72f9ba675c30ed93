"""The semantic layer: Japanese paraphrases sit nearer than unrelated sentences; only knowledge is cached."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from bot import semantics, store
from bot.semantics import cache as vcache


def test_paraphrases_are_nearer_than_unrelated_sentences():
    pairs = [
        ("勤務中にインスタを見てもいいですか", "仕事の時間に私用でInstagramを閲覧するのは許されますか"),
        ("町の偽アカウントを見つけました", "浦臼町を名乗るなりすましのアカウントがあります"),
        ("決まっていない事業のことを投稿してもいい？", "検討中の計画をSNSに書いても大丈夫ですか"),
    ]
    unrelated = ["明日の除雪は朝6時から始まります", "さくらんぼ狩りの受付は6月下旬からです", "コピー機の紙が切れています"]
    a = semantics.embed([p[0] for p in pairs])
    b = semantics.embed([p[1] for p in pairs], kind="passage")
    u = semantics.embed(unrelated, kind="passage")
    for i in range(len(pairs)):
        near = float(a[i] @ b[i])
        assert all(near > float(a[i] @ b[j]) for j in range(len(pairs)) if j != i), pairs[i]
        assert near > float(np.max(u @ a[i])), pairs[i]


def test_vectors_are_unit_length_and_shaped():
    v = semantics.embed(["テスト", "", "🙂" * 3, "長い" * 2000], kind="passage")
    assert v.shape == (4, semantics.DIM) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert semantics.embed([]).shape == (0, semantics.DIM)


def test_same_text_gives_the_same_vector():
    a = semantics.embed("なりすましを見つけたらどうする？")
    b = semantics.embed(["なりすましを見つけたらどうする？"])
    assert np.array_equal(a, b)


def test_only_cached_knowledge_is_written_to_the_database(bot_db):
    vcache.clear_memory()
    draft = "【お知らせ】担当 佐藤 090-1111-2222 までご連絡ください"
    semantics.embed([draft], kind="query")  # a draft: never stored
    semantics.embed(["６ 禁止事項 の条文"], kind="passage", cache=True)
    store.close_all()
    rows = sqlite3.connect(bot_db).execute("SELECT key, model FROM vectors").fetchall()
    assert [r[0] for r in rows] == [semantics.content_key("６ 禁止事項 の条文", "passage")]
    assert rows[0][1] == semantics.MODEL
    assert "佐藤".encode() not in bot_db.read_bytes()


def test_cached_vectors_are_reused_without_the_model(monkeypatch):
    vcache.clear_memory()
    first = semantics.embed(["キャッシュの確認用の文です"], kind="passage", cache=True)
    vcache.clear_memory()  # only the database copy remains

    def boom(*_a, **_k):
        raise AssertionError("model called for a cached text")

    monkeypatch.setattr(semantics, "_compute", boom)
    again = semantics.embed(["キャッシュの確認用の文です"], kind="passage", cache=True)
    assert np.array_equal(first, again)


def test_progress_is_reported_for_long_work():
    seen = []
    semantics.embed([f"進捗の確認 {i}" for i in range(40)], kind="passage", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (40, 40) and len(seen) == 2


def test_bad_thread_setting_is_one_japanese_line(monkeypatch):
    from bot import config

    monkeypatch.setenv("BOT_EMBED_THREADS", "lots")
    with pytest.raises(config.ConfigError, match="BOT_EMBED_THREADS"):
        config.embed_threads()
    monkeypatch.setenv("BOT_EMBED_BATCH_THREADS", "0")
    with pytest.raises(config.ConfigError, match="BOT_EMBED_BATCH_THREADS"):
        config.embed_batch_threads()


def test_a_batch_on_two_threads_gives_the_vectors_of_one_text_at_a_time(monkeypatch):
    """Check embeds a draft's suspect sentences as one batch, one text per thread: the vectors must be the
    ones a single text gets (the kernel head's weights were trained on those)."""
    texts = [f"来年度から料金が上がる見込みです（{i}）" for i in range(4)]
    monkeypatch.setattr(semantics, "_threads", (1, 2))
    semantics._load()
    monkeypatch.setattr(semantics, "_threads", (1, 2))
    calls = []
    real = semantics._set_threads
    monkeypatch.setattr(semantics, "_set_threads", lambda model, n: (calls.append(n), real(model, n)))
    batch = semantics.embed(texts)
    one_by_one = np.vstack([semantics.embed(t) for t in texts])
    assert calls == [2, 1, 1, 1, 1]
    np.testing.assert_allclose(batch, one_by_one, atol=1e-6)


def test_a_long_single_text_runs_on_two_threads_and_gets_the_same_vector(monkeypatch):
    """A long question is embedded on the batch threads (the Ask tail); its vector must be exactly the one
    thread's vector, since Ask's and Check's thresholds were calibrated on those."""
    long_q = ("休みの日に町内のお祭りに行ったら、同じ課の人が酔っぱらって踊ってる動画を撮っている人がいて、"
              "それが個人のインスタに上がっていました。職員として何か言ったほうがいいでしょうか")
    assert len(long_q) >= semantics.LONG_TEXT
    semantics._load()
    calls = []
    real = semantics._set_threads
    monkeypatch.setattr(semantics, "_set_threads", lambda model, n: (calls.append(n), real(model, n)))
    monkeypatch.setattr(semantics, "_threads", (1, 2))
    on_two = semantics.embed(long_q)
    semantics.embed("短い質問です")
    monkeypatch.setattr(semantics, "_threads", (1, 1))
    on_one = semantics.embed(long_q)
    assert calls == [2, 1, 1]
    np.testing.assert_array_equal(on_two, on_one)
