from pathlib import Path

import pytest

from bot.guideline import GuidelineFormatError, parse_guideline
from bot.guideline.parse import render_guideline

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "urausu-social-media-guideline.txt"
KNOWLEDGE = ROOT / "knowledge" / "guideline.txt"

EXPECTED_IDS = (
    "前文 1 2 2(1) 2(2) 2(3) 2(4) 4 4(1) 4(2) 4(2)① 4(2)② 5 5(1) 5(2) 5(3) "
    "6 6(1) 6(2) 6(3) 6(4) 6(5) 6(6) 6(7) 6(8) 6(9) 6(10) "
    "7 7(1) 7(1)① 7(1)② 7(1)③ 7(2) 7(2)① 7(2)② 7(2)③ 7(3) 7(3)① 7(3)② "
    "8 8(1) 8(1)① 8(1)② 8(1)③ 8(1)④ 8(1)⑤ 8(2) 8(2)① 8(2)② "
    "8(3) 8(3)① 8(3)② 8(3)②ア 8(3)②イ 8(3)②ウ 8(3)②エ 8(3)②オ 8(3)③ 8(3)④ 9 附則"
).split()


def test_knowledge_guideline_has_every_clause_with_canonical_ids():
    g = parse_guideline(KNOWLEDGE.read_text(encoding="utf-8"))
    assert g.ids() == EXPECTED_IDS
    assert g.name == "浦臼町ソーシャルメディア活用ガイドライン"


def test_clauses_carry_section_title_heading_and_parent_text():
    g = parse_guideline(KNOWLEDGE.read_text(encoding="utf-8"))
    c = g.get("8(1)⑤")
    assert c.text == "業務利用の場合を除き、就業時間中のソーシャルメディアの利用は禁止する。"
    assert c.title == "ソーシャルメディアの私的利用"
    assert c.parent == "8(1)" and c.parent_text == "私的利用における基本的な注意事項"
    assert g.get("2(1)").heading == "匿名性の低さ"
    assert g.get("8(3)").text == "トラブル等への対応"  # PDF artifact (doubled heading) removed
    assert "町または第三者" in g.get("6(7)").text
    assert g.get("附則").text == "このガイドラインは、令和３年７月 15 日から施行する。"
    # a paragraph wrapped across a PDF page break is joined
    assert "トラブルが発生することがある。" in g.get("7").text


@pytest.mark.skipif(not SEED.exists(), reason="published seed text not available")
def test_raw_pdf_text_parses_to_the_same_clauses_as_the_knowledge_file():
    raw = parse_guideline(SEED.read_text(encoding="utf-8"))
    clean = parse_guideline(KNOWLEDGE.read_text(encoding="utf-8"))
    assert raw.ids() == clean.ids()
    differing = [a.id for a, b in zip(raw.clauses, clean.clauses) if a.text != b.text]
    assert differing == ["6(7)"]  # only the 「町また第三者」 correction


def test_render_round_trips():
    g = parse_guideline(KNOWLEDGE.read_text(encoding="utf-8"))
    assert parse_guideline(render_guideline(g)).clauses == g.clauses


OTHER = """○○市ソーシャルメディア利用ガイドライン

この指針は、職員がソーシャルメディアを利用する際の基本的な考え方を定めるものである。

１ 目的
この指針は、市の情報発信を適正に行うために必要な事項を定める。
２ 対象
（１）職員
市の全ての職員に適用する。
（２）委託先
市から運用を委託された事業者に適用する。
３ 遵守事項
（１）投稿前の確認
① 投稿する前に、所属長の確認を受けること。
② 次の情報は投稿しないこと。
ア 個人情報
イ 未公表の情報
（２）アカウントの管理
パスワードは適切に管理しなければならない。
附 則
この指針は、令和５年４月１日から施行する。
"""


def test_parses_another_municipalitys_guideline():
    g = parse_guideline(OTHER)
    assert g.name == "○○市ソーシャルメディア利用ガイドライン"
    assert g.ids() == [
        "前文", "1", "2", "2(1)", "2(2)", "3", "3(1)", "3(1)①", "3(1)②", "3(1)②ア", "3(1)②イ", "3(2)", "附則",
    ]
    assert g.get("3(1)②イ").text == "未公表の情報"
    assert g.get("3(1)②イ").parent_text.startswith("次の情報は投稿しないこと。")
    assert g.get("2(2)").heading == "委託先"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "空"),
        ("ただの文章です。見出しがありません。\nもう一行。", "章"),
        ("題名\n１ 目的\n本文。\n（１）一\n本文。\n（１）二\n本文。", "重複"),
    ],
)
def test_malformed_guideline_is_refused_with_a_clear_message(text, message):
    with pytest.raises(GuidelineFormatError, match=message):
        parse_guideline(text)


def test_duplicate_error_names_the_line():
    with pytest.raises(GuidelineFormatError, match="6行目"):
        parse_guideline("題名\n１ 目的\n本文。\n（１）一\n本文。\n（１）二\n本文。")


def test_sections_numbered_with_a_full_stop():
    from bot.guideline import parse_guideline

    text = "〇〇村SNSガイドライン\n\n1. 目的\nこの指針は職員のSNS利用について定める。\n\n2.運用体制\n(1) 責任者\n所属長を責任者とする。\n①担当者\n担当者は責任者に報告する。\n"
    g = parse_guideline(text)
    assert g.ids() == ["1", "2", "2(1)", "2(1)①"]
    assert g.get("2").text == "運用体制" and g.get("2(1)①").heading == "担当者"
