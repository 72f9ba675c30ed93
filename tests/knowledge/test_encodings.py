"""Files saved on Windows: a BOM is accepted everywhere, Shift_JIS is named with the fix, an empty file is
named as empty, TOML mistakes are one Japanese line with the file and the line."""

from __future__ import annotations

import re

import pytest

from bot.__main__ import main
from tests.knowledge.conftest import replace_in

BOM = "\ufeff".encode("utf-8")


def add_bom(path):
    path.write_bytes(BOM + path.read_bytes())


@pytest.mark.parametrize("name", ["synonyms.tsv", "clause_terms.tsv", "guideline.txt", "report_types.toml",
                                  "screening/categories.toml", "screening/rules/politics.toml", "pack.toml"])
def test_a_bom_is_accepted(pack_dir, capsys, name):
    add_bom(pack_dir / name)
    assert main(["knowledge", "check"]) == 0, capsys.readouterr().err
    assert main(["ask", "勤務中にインスタを見てもいいですか"]) == 0
    out = capsys.readouterr().out
    assert "8(1)⑤" in out
    assert main(["check", "本日の除雪状況をお知らせします"]) == 0


def test_a_bom_in_the_directory_is_accepted(tmp_path, capsys):
    from tests.knowledge.conftest import REPO_KNOWLEDGE

    path = tmp_path / "directory.toml"
    path.write_bytes(BOM + (REPO_KNOWLEDGE / "directory.example.toml").read_bytes())
    assert main(["directory", "check", str(path)]) == 0, capsys.readouterr().err


def test_a_directory_in_shift_jis_is_named(tmp_path, capsys):
    from tests.knowledge.conftest import REPO_KNOWLEDGE

    path = tmp_path / "directory.toml"
    path.write_bytes((REPO_KNOWLEDGE / "directory.example.toml").read_text(encoding="utf-8").encode("cp932", errors="replace"))
    assert main(["directory", "check", str(path)]) == 2
    assert "Shift_JIS で保存されているようです。UTF-8 で保存し直してください。" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["guideline.txt", "synonyms.tsv", "screening/rules/politics.toml", "report_types.toml"])
def test_shift_jis_is_named_with_the_fix(pack_dir, capsys, name):
    path = pack_dir / name
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932", errors="replace"))
    expected = f"{name} は Shift_JIS で保存されているようです。UTF-8 で保存し直してください。"
    assert main(["knowledge", "check"]) == 1
    assert expected in capsys.readouterr().err
    assert main(["ask", "勤務中にインスタを見てもいいですか"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "codec" not in err


def test_an_emptied_guideline_is_named_as_empty(pack_dir, capsys):
    (pack_dir / "guideline.txt").write_text("\n  \n", encoding="utf-8")
    assert main(["knowledge", "check"]) == 1
    err = capsys.readouterr().err
    assert "guideline.txt: ファイルが空です。" in err and "見つかりません" not in err


def test_rules_toml_errors_are_japanese_with_the_line(pack_dir, capsys):
    line = replace_in(pack_dir / "screening/rules/politics.toml", "[[rule]]", "[[rule]]\nterms = [\"未閉じ\"\n", 1)
    assert main(["check", "こんにちは"]) == 2
    err = capsys.readouterr().err.strip()
    assert re.search(r"screening/rules/politics\.toml \d+行目: TOML の書き方に誤りがあります（.+）。", err), err
    assert int(re.search(r"(\d+)行目", err).group(1)) >= line
    assert not re.search(r"[A-Za-z]{4,}", err.replace("TOML", "").replace("screening/rules/politics.toml", "")), err


def test_directory_toml_errors_are_japanese(tmp_path, capsys):
    path = tmp_path / "directory.toml"
    path.write_text('[general_affairs]\nname = "総務課\nhead = "U01"\n', encoding="utf-8")
    assert main(["directory", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "2 行目" in err and "TOML の書き方に誤りがあります" in err
    assert not re.search(r"[A-Za-z]{5,}", err.split("部署名簿")[1].replace(str(path), "").replace("TOML", "")), err
