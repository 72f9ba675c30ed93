"""Another town's real guideline (天城町, partial, public text) ingested end to end into a new pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main

AMAGI = Path(__file__).parent / "data" / "amagi-partial.txt"


@pytest.fixture(scope="module")
def amagi_pack(tmp_path_factory) -> Path:
    from bot import store

    dest = tmp_path_factory.mktemp("packs") / "amagi"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BOT_DB", str(dest.parent / "index.db"))
        store.close_all()
        try:
            assert main(["index", str(AMAGI), "--pack", str(dest)]) == 0
        finally:
            store.close_all()
    return dest


@pytest.fixture
def amagi(amagi_pack, monkeypatch) -> Path:
    monkeypatch.setenv("BOT_KNOWLEDGE", str(amagi_pack))
    return amagi_pack


def test_index_writes_a_new_pack_and_leaves_the_current_one(amagi_pack):
    from bot.knowledge import current_pack

    pack = current_pack(amagi_pack)
    assert pack.town == "天城町" and pack.general_affairs == "総務課"
    assert pack.guideline.ids() == ["1", "2", "3", "4", "4(1)", "4(1)①", "4(1)②", "4(2)"]
    assert pack.mapping and not any(e.confirmed for e in pack.mapping.values())
    assert "6(2)" in pack.mapping and pack.resolve("6(2)") is None
    text = (amagi_pack / "mapping.toml").read_text(encoding="utf-8")
    assert "対応する条項が見つからなかったもの" in text and '[clauses."7(3)①"]' in text
    repo = Path(__file__).resolve().parents[2] / "knowledge"
    assert not (repo / "mapping.toml").exists()


def test_index_never_overwrites_a_folder_in_use(amagi_pack, capsys):
    assert main(["index", str(AMAGI), "--pack", str(amagi_pack)]) == 2
    assert "すでに使われています" in capsys.readouterr().err


def test_the_new_pack_passes_knowledge_check(amagi, capsys):
    assert main(["knowledge", "check"]) == 0
    out = capsys.readouterr().out
    assert "天城町" in out and "未確認" in out


def test_ask_answers_from_its_clauses(amagi):
    from bot.search import ask

    answer = ask("トラブルが起きたら誰に報告する？")
    assert answer.answered and answer.clauses[0].clause.id == "4(1)②"
    answer = ask("アカウント責任者は誰？")
    assert answer.answered and answer.clauses[0].clause.id == "4(1)①"
    assert not ask("公用車の予約方法").answered


def test_check_cites_only_its_clauses_or_says_what_is_unavailable(amagi):
    from bot.knowledge import current_pack
    from bot.screening import check

    ids = set(current_pack().guideline.ids())
    verdict = check("担当者の携帯は090-1234-5678です。未公表の資料も載せます。")
    assert all(f.clause in ids and set(f.related) <= ids for f in verdict.findings)
    assert "確認していません" in verdict.notice and "電話番号" in verdict.notice


def test_confirmed_mapping_is_cited(amagi, tmp_path, monkeypatch):
    import shutil

    from bot.knowledge import current_pack
    from bot.screening import check

    copy = tmp_path / "amagi"
    shutil.copytree(amagi, copy)
    text = (copy / "mapping.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition('[clauses."6(2)"]')
    rest = rest.replace('to = ""\nconfirmed = false', 'to = "4(1)①"\nconfirmed = true', 1)
    (copy / "mapping.toml").write_text(head + '[clauses."6(2)"]' + rest, encoding="utf-8")
    monkeypatch.setenv("BOT_KNOWLEDGE", str(copy))
    assert current_pack().resolve("6(2)") == "4(1)①"
    verdict = check("未公表の資料を載せます。内部資料です。")
    assert any(f.clause == "4(1)①" for f in verdict.findings)


def test_report_cites_only_its_clauses_and_keeps_do_not_rebut(amagi, monkeypatch):
    from bot.incidents import classify, reply_for, submit
    from bot.slack.blocks.report import reply_blocks

    monkeypatch.delenv("BOT_DIRECTORY", raising=False)
    inc = submit(classify("Xで町の偽アカウントを見つけました https://x.com/fake"), reporter="U1", message_key="C1:1.0").incident
    reply = reply_for(inc.id)
    assert reply.clauses == () and reply.unavailable
    assert [s.name for s in reply.steps] == ["事実確認", "完了"]  # the bot itself tags 総務課: no step for it
    text = str([b.to_dict() for b in reply_blocks(reply)])
    assert "その場で否定や反論はしないでください" in text and "天城町" in text and "5(3)" not in text


def test_home_shows_its_town(amagi):
    from bot.slack.blocks.home import home_view

    text = str(home_view().to_dict())
    assert "天城町ソーシャルメディア利用に関するガイドライン" in text and "浦臼" not in text and "5(3)" not in text
