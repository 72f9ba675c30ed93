"""The laws posts often touch (knowledge/screening/laws.toml): every law, by its id, still exists, catches
its examples on its own, leaves its not-examples alone, and a draft it catches gets a finding that names
the law (「公職選挙法（公務員の地位利用）に触れるおそれがあります。…」) and its clause. tests/screening/law_ids.txt is
the register, so deleting or breaking any one law fails the test named after it."""

from pathlib import Path

import pytest

from bot.knowledge import current_pack
from bot.screening import check
from bot.screening.matcher import rule_catches
from bot.screening.rules import RulesError, knowledge

IDS = [line.strip() for line in (Path(__file__).parent / "law_ids.txt").read_text(encoding="utf-8").splitlines()
       if line.strip() and not line.startswith("#")]


def _laws():
    return {law.id: law for law in knowledge().laws}


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize("law_id", IDS)
def test_law_catches_its_examples_and_names_itself(law_id):
    law = _laws().get(law_id)
    assert law is not None, f"law {law_id} is missing from knowledge/screening/laws.toml"
    assert law.examples, f"law {law_id} has no examples"
    for ex in law.not_examples:
        assert not rule_catches(law, ex), (law_id, ex)
    for account, clause in (("official", law.clause), ("private", None)):
        for ex in law.examples:
            assert rule_catches(law, ex), (law_id, ex)
            verdict = check(ex, account)
            named = [f for f in verdict.findings if f.message.startswith(f"{law.law}（{law.topic}）に触れるおそれがあります。")]
            assert named, (law_id, account, ex, [f.message for f in verdict.findings])
            f = named[0]
            assert f.suggestion == law.suggestion and f.severity in ("block", "warn")
            assert ex[f.start:f.end] == f.excerpt
            if clause:
                assert f.clause == current_pack().resolve(clause)


def test_every_law_is_registered():
    assert sorted(_laws()) == sorted(IDS), "add new law ids to tests/screening/law_ids.txt"
    assert len(IDS) == len(set(IDS))


def test_the_laws_cover_the_issue():
    laws = {(law.law, law.topic, law.clause) for law in knowledge().laws}
    names = {law for law, _, _ in laws}
    assert {"公職選挙法", "廃棄物処理法", "労働基準法", "著作権法", "景品表示法", "薬機法", "食品衛生法", "道路交通法"} <= names
    assert all(clause == "6(5)" for law, _, clause in laws if law == "公職選挙法")
    assert all(clause == "6(7)" for law, _, clause in laws if law == "著作権法")
    assert {topic for law, topic, _ in laws if law == "公職選挙法"} >= {"公務員の地位利用", "選挙運動", "署名集め", "事前運動"}


def test_the_election_board_notice_is_clean():
    draft = ("【選挙管理委員会】浦臼町長選挙の投票日は4月20日（日）です。投票時間は午前7時から午後8時まで、"
             "期日前投票は役場1階の窓口で行えます。お問い合わせは選挙管理委員会（0125-68-2111）まで。")
    assert check(draft).findings == []


def test_a_law_whose_example_it_no_longer_catches_stops_the_load(knowledge_copy):
    path = knowledge_copy / "laws.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"家の裏で家庭ごみとビニールをまとめて燃やした🔥スッキリ！",', '"家の裏でまとめて片付けた。",'), encoding="utf-8")
    with pytest.raises(RulesError, match=r"^screening/laws.toml \d+行目: 法令「haikibutsu-noyaki」の examples の文「家の裏でまとめて片付けた。」"):
        knowledge()


@pytest.mark.parametrize(
    "snippet,needle",
    [
        ('\n[[law]]\nid = "x-1"\nlaw = "試験法"\ntopic = "試し"\nclause = "6(3)"\nsuggestion = "消す"\nterms = ["ウラウスノカゼ"]\nexamples = ["ウラウスノカゼ"]\n', "reason"),
        ('\n[[law]]\nid = "x-1"\nlaw = "試験法"\ntopic = "試し"\nclause = "9(9)"\nreason = "r"\nsuggestion = "消す"\nterms = ["ウラウスノカゼ"]\nexamples = ["ウラウスノカゼ"]\n', "9(9)"),
        ('\n[[law]]\nid = "x-1"\nlaw = "試験法"\ntopic = "試し"\nclause = "6(3)"\nreason = "r"\nsuggestion = "消す"\nterms = ["ウラウスノカゼ"]\n', "examples"),
        ('\n[[law]]\nid = "x-1"\nlaw = "試験法"\ntopic = "試し"\nclause = "6(3)"\nreason = "r"\nsuggestion = "消す"\nterms = ["ウラウスノカゼ"]\nexamples = ["ウラウスノカゼ"]\ncolour = "red"\n', "colour"),
        ('\n[[law]]\nid = "illegal-01"\nlaw = "試験法"\ntopic = "試し"\nclause = "6(3)"\nreason = "r"\nsuggestion = "消す"\nterms = ["ウラウスノカゼ"]\nexamples = ["ウラウスノカゼ"]\n', "illegal-01"),
        ('\n[[law]]\nid = "x-1"\nlaw = "試験法"\ntopic = "試し"\nclause = "6(3)"\nreason = "r"\nsuggestion = "消す"\npatterns = [\'(unclosed\']\nexamples = ["ウラウスノカゼ"]\n', "正規表現"),
    ],
)
def test_law_mistakes_name_file_and_line(knowledge_copy, snippet, needle):
    path = knowledge_copy / "laws.toml"
    first_new_line = len(path.read_text(encoding="utf-8").splitlines()) + 2
    _append(path, snippet)
    with pytest.raises(RulesError) as err:
        knowledge()
    msg = str(err.value)
    assert msg.startswith("screening/laws.toml "), msg
    line = int(msg.split(" ")[1].removesuffix("行目:"))
    assert first_new_line <= line <= first_new_line + 10, msg
    assert needle in msg


def test_adding_a_law_needs_no_code(knowledge_copy):
    draft = "町の花壇のチューリップを球根ごと掘って持ち帰りました。"
    assert check(draft).findings == []
    _append(knowledge_copy / "laws.toml", '\n[[law]]\nid = "keihou-settou"\nlaw = "刑法"\ntopic = "窃盗"\nclause = "6(3)"\n'
            'reason = "町の花壇の花を持ち帰ることは窃盗にあたります。"\nsuggestion = "この部分を削除してください。"\n'
            "patterns = ['花壇[^。]{0,20}持ち帰']\nexamples = [\"花壇の花を持ち帰った。\"]\n")
    verdict = check(draft)
    assert [(f.clause, f.message) for f in verdict.findings] == [
        ("6(3)", "刑法（窃盗）に触れるおそれがあります。町の花壇の花を持ち帰ることは窃盗にあたります。")]


def _tiny_model():
    from bot.screening import examples, learned

    rows = [
        ("片付けで出たものは全部まとめて燃やして処分しちゃいました。", "illegal"),
        ("いらないものはまとめて燃やすのが一番早いです。", "illegal"),
        ("週末に残りも全部燃やしておきます。", "illegal"),
        ("会社のお金を少しずつ自分の口座に移しています。", "illegal"),
        ("経費の一部を自分の口座に移しておきました。", "illegal"),
        ("今日はよい天気で、散歩が気持ちよかったです。", "-"),
        ("図書館の開館時間は午前10時から午後6時までです。", "-"),
        ("新しいパン屋さんのクロワッサンがおいしかった。", "-"),
        ("町民センターで書道教室を開きます。", "-"),
        ("今年も雪が多くて、除雪が大変です。", "-"),
    ]
    raw = "\n".join(f"{t}\t{c}\tprivate" for t, c in rows)
    exs, errors = examples.parse(raw, "tiny.tsv", set(knowledge().categories))
    assert not errors
    return learned.train(exs, epochs=200)


def test_a_learned_finding_names_the_likely_law():
    m = _tiny_model()
    burnt = "物置を片付けて、出たものはぜんぶ燃やして処分しました。"
    verdict = check(burnt, model=m, threshold=0.3)
    assert [f.category for f in verdict.findings] == ["illegal"]
    assert verdict.findings[0].message.startswith("廃棄物処理法（野焼き）に触れるおそれがあります。")
    # no law's words or context: the category's own message
    other = check("預かったお金を少しずつ自分の口座に移しています。", model=m, threshold=0.3)
    assert [f.category for f in other.findings] == ["illegal"]
    assert other.findings[0].message == knowledge().categories["illegal"].message


def test_the_learned_layer_reads_a_draft_without_the_towns_own_contacts():
    from bot.screening import examples, learned

    rows = [(f"ご注文はお電話で 0125-{n}-{m} まで、お気軽にどうぞ。", "advertising") for n, m in
            (("68", "2111"), ("68", "2111"), ("68", "2111"), ("22", "3456"), ("66", "7788"))]
    rows += [("今日はよい天気で、散歩が気持ちよかったです。", "-"), ("図書館の開館時間は午前10時から午後6時までです。", "-"),
             ("町民センターで書道教室を開きます。", "-"), ("ご用件はお電話で。", "-"), ("今年も雪が多くて、除雪が大変です。", "-")]
    exs, errors = examples.parse("\n".join(f"{t}\t{c}\tofficial" for t, c in rows), "tiny.tsv", set(knowledge().categories))
    assert not errors
    m = learned.train(exs, epochs=200)
    draft = "ご用件はお電話で 0125-68-2111 まで。"
    [(_s, _e, cat, score)] = learned.scored(m, draft)  # what it would say, seeing the number
    assert cat == "advertising" and score >= 0.5
    assert check(draft, model=m, threshold=0.5).findings == []
