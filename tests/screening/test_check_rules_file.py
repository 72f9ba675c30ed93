"""Rules are data: 総務課 adds a term without code, and mistakes get one clear message naming file and line."""

import pytest

from bot.screening import check
from bot.screening.rules import RulesError, knowledge


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _line_count(path):
    return len(path.read_text(encoding="utf-8").splitlines())


def test_adding_a_term_needs_no_code(knowledge_copy, flagged):
    draft = "新しい施設の愛称はウラウスノカゼに決まりました。"
    assert flagged(check(draft)) == set()
    _append(knowledge_copy / "rules" / "confidential.toml", '\n[[rule]]\nid = "confidential-99"\nnote = "新しい施設の愛称（公表前）"\n'
            'category = "confidential"\nterms = ["ウラウスノカゼ"]\nexamples = ["愛称はウラウスノカゼです。"]\n')
    verdict = check(draft)
    assert flagged(verdict) == {"6(2)"}
    assert verdict.findings[0].excerpt == "ウラウスノカゼ"


def test_adding_a_town_number_silences_it(knowledge_copy):
    draft = "教育委員会 電話 0125-68-2999"
    assert check(draft).findings
    path = knowledge_copy / "contacts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('phones = [', 'phones = [\n  "0125-68-2999",'), encoding="utf-8")
    assert check(draft).findings == []


def test_allowlisting_a_domain(knowledge_copy, flagged):
    draft = "詳しくは https://www.urausu-kanko.example.jp/ へ"
    assert flagged(check(draft)) == {"7(1)③"}
    path = knowledge_copy / "links.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("allow = [", 'allow = [\n  "urausu-kanko.example.jp",'), encoding="utf-8")
    assert flagged(check(draft)) == set()


@pytest.mark.parametrize(
    "snippet,needle",
    [
        ('\n[[rule]]\ncategory = "no_such_kind"\nterms = ["x"]\n', "no_such_kind"),
        ('\n[[rule]]\ncategory = "rumour"\npatterns = [\'(unclosed\']\n', "正規表現"),
        ('\n[[rule]]\ncategory = "rumour"\nterms = ["x"]\nseverity = "fatal"\n', "severity"),
        ('\n[[rule]]\ncategory = "rumour"\nterms = ["x"]\ncolour = "red"\n', "colour"),
        ('\n[[rule]]\ncategory = "rumour"\npatterns = [\'\\bfoo\']\n', "\\b"),
        ('\n[[rule]]\ncategory = "rumour"\n', "terms"),
        ('\n[[rule]]\ncategory = "rumour"\nterms = "噂"\n', "リスト"),
    ],
)
def test_rule_mistakes_name_file_and_line(knowledge_copy, snippet, needle):
    path = knowledge_copy / "rules" / "rumour.toml"
    first_new_line = _line_count(path) + 2  # the [[rule]] header of the appended block
    _append(path, snippet)
    with pytest.raises(RulesError) as err:
        knowledge()
    msg = str(err.value)
    assert msg.startswith("screening/rules/rumour.toml ")
    line = int(msg.split(" ")[1].removesuffix("行目:"))
    assert first_new_line <= line <= first_new_line + 4
    assert needle in msg


def test_toml_syntax_error_names_the_line(knowledge_copy):
    path = knowledge_copy / "rules" / "rumour.toml"
    n = _line_count(path)
    _append(path, '\n[[rule]]\ncategory = "rumour\n')
    with pytest.raises(RulesError, match=rf"^screening/rules/rumour.toml {n + 3}行目: TOML"):
        knowledge()


def test_bad_clause_and_domain_and_phone(knowledge_copy):
    cats = knowledge_copy / "categories.toml"
    cats.write_text(cats.read_text(encoding="utf-8").replace('clause = "6(8)"', 'clause = "six"'), encoding="utf-8")
    with pytest.raises(RulesError, match=r"categories.toml \d+行目: .*条項番号「six」"):
        knowledge()
    cats.write_text(cats.read_text(encoding="utf-8").replace('clause = "six"', 'clause = "6(8)"'), encoding="utf-8")
    links = knowledge_copy / "links.toml"
    links.write_text(links.read_text(encoding="utf-8").replace('"*.go.jp"', '"not a domain"'), encoding="utf-8")
    with pytest.raises(RulesError, match=r"links.toml \d+行目: ドメイン「not a domain」"):
        knowledge()
    links.write_text(links.read_text(encoding="utf-8").replace('"not a domain"', '"*.go.jp"'), encoding="utf-8")
    contacts = knowledge_copy / "contacts.toml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace('"0125-68-2111"', '"2111"'), encoding="utf-8")
    with pytest.raises(RulesError, match=r"contacts.toml \d+行目: 電話番号「2111」"):
        knowledge()


def test_missing_file(knowledge_copy):
    (knowledge_copy / "links.toml").unlink()
    with pytest.raises(RulesError, match="links.toml: ファイルが見つかりません"):
        knowledge()


def test_cli_reports_a_broken_rules_file_in_one_line(knowledge_copy, capsys):
    from bot.__main__ import main

    _append(knowledge_copy / "rules" / "rumour.toml", '\n[[rule]]\ncategory = "nope"\nterms = ["x"]\n')
    assert main(["check", "こんにちは"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("エラー: screening/rules/rumour.toml ") and "\n" not in err


def test_learned_thresholds_per_category(knowledge_copy):
    path = knowledge_copy / "learned.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[thresholds]\nillegal = 0.6\n", encoding="utf-8")
    assert knowledge().learned_thresholds == {"illegal": 0.6}
    path.write_text(path.read_text(encoding="utf-8") + "nope = 0.5\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"^screening/learned.toml \d+行目: \[thresholds\] の種類「nope」"):
        knowledge()
