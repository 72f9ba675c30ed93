"""Realistic report sentences (tests/incidents/data/report_sentences.tsv) read the way 総務課 would: the type
follows who posted what (the town's own post under fire = flaming, someone else's = negative, posing as the
town = impersonation), and questions or vague lines are not reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.incidents import classify

DATA = Path(__file__).parent / "data" / "report_sentences.tsv"


def _rows() -> list[tuple[str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("expected\t"):
            continue
        expected, text = line.split("\t", 1)
        rows.append((expected, text))
    return rows


ROWS = _rows()


def test_the_table_is_large_and_covers_every_reading():
    kinds = {e for e, _ in ROWS}
    assert len(ROWS) >= 40 and kinds == {"impersonation", "flaming", "negative", "-"}


@pytest.mark.parametrize("expected, text", ROWS, ids=[t[:24] for _, t in ROWS])
def test_sentence_is_read_as_staff_mean_it(expected, text):
    report = classify(text)
    assert (report.type if report else "-") == expected, text


def test_a_third_partys_thread_is_never_flaming():
    """The issue's example: a 5ch thread bashing the town is a negative post by others (5(3)), so the reply
    never asks staff to fix or apologise for it (flaming's 7(2)② step)."""
    assert classify("5chの浦臼スレで町のごみ処理のことがめっちゃ叩かれてます").type == "negative"
    assert classify("町の公式Xの投稿に批判リプが殺到しています").type == "flaming"
    # the town's own post criticised on a third party's board is still the town's post under fire
    assert classify("町の投稿が5chで叩かれてます").type == "flaming"


def test_vague_message_is_not_a_type_but_the_shortcut_still_offers_the_default():
    assert classify("これ見てください") is None
    assert classify("これ見てください", explicit=True).type == "negative"


def test_whose_words_come_from_knowledge(tmp_path, monkeypatch):
    """総務課 can add a place of others' posts: a new word in [whose] others turns flaming into negative."""
    from bot.config import REPO_KNOWLEDGE

    kdir = tmp_path / "knowledge"
    kdir.mkdir()
    for f in REPO_KNOWLEDGE.iterdir():
        if f.is_file():
            (kdir / f.name).write_bytes(f.read_bytes())
    monkeypatch.setenv("BOT_KNOWLEDGE", str(kdir))
    text = "ガルちゃんで町の除雪が叩かれてます"
    assert classify(text).type == "flaming"
    path = kdir / "report_types.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"5ch",', '"5ch", "ガルちゃん",'), encoding="utf-8")
    assert classify(text).type == "negative"


def test_if_others_must_name_a_type():
    from bot.errors import UserError
    from bot.incidents import types

    bad = '[[types]]\nid = "flaming"\nsteps = ["完了"]\nif_others = "nothing"\n'
    with pytest.raises(UserError, match="if_others"):
        types.parse(bad, "report_types.toml")
