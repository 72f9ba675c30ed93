"""A pack is validated as a whole: every clause reference must exist in its own guideline, reported with
the file and the line; serve/ask/check refuse a broken pack with the same lines."""

from __future__ import annotations

from bot.__main__ import main
from bot.knowledge import checker, current_pack, problems
from bot.knowledge.checks import _CHECKERS, Problem
from tests.knowledge.conftest import replace_in


def test_the_repository_pack_is_valid(pack_dir, capsys):
    assert main(["knowledge", "check"]) == 0
    out = capsys.readouterr().out
    assert "問題はありません" in out and "浦臼町" in out and "総務課" in out


def test_missing_clause_in_categories_names_file_and_line(pack_dir, capsys):
    line = replace_in(pack_dir / "screening/categories.toml", 'clause = "6(2)"', 'clause = "6(18)"')
    assert main(["knowledge", "check", str(pack_dir)]) == 1
    err = capsys.readouterr().err
    assert f"screening/categories.toml {line}行目: 条項 6(18) はこのガイドラインにありません。" in err


def test_missing_clause_in_a_multiline_array_of_report_types(pack_dir, capsys):
    path = pack_dir / "report_types.toml"
    line = replace_in(path, 'clauses = ["7(3)①", "7(3)②", "5(3)"]', 'clauses = [\n  "7(3)①",\n  "7(9)②",\n  "5(3)",\n]')
    assert main(["knowledge", "check"]) == 1
    assert f"report_types.toml {line + 2}行目: 条項 7(9)② はこのガイドラインにありません。" in capsys.readouterr().err


def test_clause_terms_and_examples_are_checked(pack_dir, capsys):
    with (pack_dir / "clause_terms.tsv").open("a", encoding="utf-8") as f:
        f.write("12(1)\t存在しない条項\n")
    n_terms = len((pack_dir / "clause_terms.tsv").read_text(encoding="utf-8").splitlines())
    q = pack_dir / "examples/questions"
    q.mkdir(parents=True, exist_ok=True)
    (q / "batch.tsv").write_text("# 例\n勤務中にSNSを見てもいい？\t8(1)⑤\n年末調整は？\t-\n写真は？\t6(4),6(99)\n", encoding="utf-8")
    s = pack_dir / "screening/examples"
    s.mkdir(parents=True, exist_ok=True)
    (s / "batch.tsv").write_text("明日発表します\tundecided\tofficial\n晴れ\t-\tprivate\n何か\tnosuch\tofficial\n", encoding="utf-8")
    assert main(["knowledge", "check"]) == 1
    err = capsys.readouterr().err
    assert f"clause_terms.tsv {n_terms}行目: 条項 12(1) はこのガイドラインにありません。" in err
    assert "examples/questions/batch.tsv 4行目: 条項 6(99) はこのガイドラインにありません。" in err
    assert "examples/questions/batch.tsv 2行目" not in err and "examples/questions/batch.tsv 3行目" not in err
    assert "screening/examples/batch.tsv 3行目: 種類「nosuch」は screening/categories.toml にありません。" in err
    assert err.count("・") == 3


def test_a_rule_that_flags_its_own_not_example_is_reported(pack_dir, capsys):
    path = pack_dir / "screening/rules/rumour.toml"
    line = replace_in(path, 'not_examples = ["水を買いだめしてください。お控え。"]', 'not_examples = ["水を買いだめしてください。"]')
    assert main(["knowledge", "check"]) == 1
    err = capsys.readouterr().err
    assert f"screening/rules/rumour.toml {line}行目: 規則「rumour-02」が not_examples の文「水を買いだめしてください。」を指摘してしまいます。" in err


def test_ask_check_and_serve_refuse_a_broken_pack_with_the_same_line(pack_dir, capsys):
    line = replace_in(pack_dir / "screening/categories.toml", 'clause = "6(2)"', 'clause = "6(18)"')
    expected = f"screening/categories.toml {line}行目: 条項 6(18) はこのガイドラインにありません。"
    for argv in (["ask", "勤務中にSNSを見てもいい？"], ["check", "こんにちは"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err


def test_serve_refuses_a_broken_pack(pack_dir, capsys, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-test")
    replace_in(pack_dir / "report_types.toml", 'do_not_rebut = ["5(3)", "7(2)①"]', 'do_not_rebut = ["5(30)", "7(2)①"]')
    assert main(["serve"]) == 2
    assert "report_types.toml" in capsys.readouterr().err


def test_a_module_can_register_its_own_checker(pack_dir):
    (pack_dir / "extra.tsv").write_text("9(9)\tx\n", encoding="utf-8")

    @checker
    def extra(pack):
        from bot.knowledge.checks import tsv_clause_refs

        yield from tsv_clause_refs(pack, "extra.tsv", 0)

    try:
        found = problems(pack_dir)
        assert [str(p) for p in found] == ["extra.tsv 1行目: 条項 9(9) はこのガイドラインにありません。"]
        assert isinstance(found[0], Problem)
    finally:
        _CHECKERS.remove(extra)


def test_manifest_names_the_town(pack_dir):
    (pack_dir / "pack.toml").write_text('town = "天城町"\nguideline_title = "天城町ガイドライン"\ngeneral_affairs = "総務課情報係"\n', encoding="utf-8")
    pack = current_pack(pack_dir)
    assert (pack.town, pack.guideline_title, pack.general_affairs) == ("天城町", "天城町ガイドライン", "総務課情報係")


def test_manifest_unknown_key_is_one_line(pack_dir, capsys):
    (pack_dir / "pack.toml").write_text('town = "浦臼町"\ntowm = "x"\n', encoding="utf-8")
    assert main(["knowledge", "check"]) == 1
    assert "pack.toml 2行目: 不明な項目「towm」があります" in capsys.readouterr().err
