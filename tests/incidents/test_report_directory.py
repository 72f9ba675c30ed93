"""The staff directory: lookup, and errors that name the line for 総務課 to fix."""

from __future__ import annotations

import pytest

from bot.__main__ import main
from bot.incidents import directory
from bot.incidents.directory import DirectoryError


def test_lookup_of_members_heads_and_general_affairs(directory_text):
    d = directory.parse(directory_text)
    assert d.department_of("USAN002").name == "産業課"
    assert d.department_of("UJUMHEAD").name == "住民課"
    assert d.department_of("UGA0001").name == "総務課"
    assert d.department_of("UNOBODY") is None
    assert d.general_affairs.mentions == ("UGAHEAD",)
    assert d.is_general_affairs("UGA0002") and not d.is_general_affairs("USANHEAD")


def test_general_affairs_without_head_tags_members():
    d = directory.parse('[general_affairs]\nname = "総務課"\nmembers = ["UGA0001", "UGA0002"]\n')
    assert d.general_affairs.mentions == ("UGA0001", "UGA0002")


def _error(text: str) -> DirectoryError:
    with pytest.raises(DirectoryError) as info:
        directory.parse(text, "dir.toml")
    return info.value


def test_toml_syntax_error_names_the_line():
    err = _error('[general_affairs]\nname = "総務課"\nhead = "UGAHEAD\n')
    assert err.line == 3
    assert "3 行目" in str(err) and "dir.toml" in str(err)


def test_bad_user_id_names_its_line(directory_text):
    text = directory_text.replace('members = ["USAN001", "USAN002"]', 'members = [\n  "USAN001",\n  "山田",\n]')
    err = _error(text)
    assert err.line == text.splitlines().index('  "山田",') + 1
    assert "山田" in str(err) and "利用者ID" in str(err)


def test_lowercase_head_id_is_refused_on_its_line(directory_text):
    text = directory_text.replace('head = "UJUMHEAD"', 'head = "ujumhead"')
    err = _error(text)
    assert err.line == text.splitlines().index('head = "ujumhead"') + 1


def test_department_without_head_names_its_table(directory_text):
    text = directory_text.replace('head = "UJUMHEAD"\n', "")
    err = _error(text)
    assert err.line == text.splitlines().index("[[departments]]", 6) + 1
    assert "住民課" in str(err) and "head" in str(err)


def test_unknown_key_is_refused(directory_text):
    text = directory_text.replace('members = ["UJUM001"]', 'member = ["UJUM001"]')
    err = _error(text)
    assert err.line == text.splitlines().index('member = ["UJUM001"]') + 1
    assert "member" in str(err)


def test_member_of_two_departments_is_refused(directory_text):
    text = directory_text.replace('members = ["UJUM001"]', 'members = ["USAN001"]')
    err = _error(text)
    assert err.line == text.splitlines().index('members = ["USAN001"]') + 1
    assert "産業課" in str(err) and "住民課" in str(err)


def test_duplicate_key_names_the_second_line(directory_text):
    text = directory_text.replace('name = "住民課"', 'name = "住民課"\nname = "町民課"')
    err = _error(text)
    assert err.line == text.splitlines().index('name = "町民課"') + 1


def test_missing_general_affairs():
    err = _error('[[departments]]\nname = "産業課"\nhead = "USANHEAD"\n')
    assert "[general_affairs]" in str(err)


def test_missing_file(tmp_path):
    with pytest.raises(DirectoryError) as info:
        directory.read(tmp_path / "nothing.toml")
    assert "見つかりません" in str(info.value)


def test_example_in_knowledge_is_valid():
    from bot.config import REPO_KNOWLEDGE

    d = directory.read(REPO_KNOWLEDGE / "directory.example.toml")
    assert d.general_affairs.name == "総務課" and d.departments


def test_cli_check_summarizes(directory_file, capsys):
    assert main(["directory", "check"]) == 0
    out = capsys.readouterr().out
    assert "問題はありません" in out and "産業課" in out and "住民課" in out


def test_cli_check_reports_the_line_and_fails(tmp_path, monkeypatch, capsys, directory_text):
    bad = tmp_path / "bad.toml"
    bad.write_text(directory_text.replace('head = "USANHEAD"', 'head = "USAN HEAD"'), encoding="utf-8")
    monkeypatch.setenv("BOT_DIRECTORY", str(bad))
    assert main(["directory", "check"]) == 2
    err = capsys.readouterr().err
    assert "8 行目" in err and "Traceback" not in err


def test_cli_check_without_setting(no_directory, capsys):
    assert main(["directory", "check"]) == 2
    assert "BOT_DIRECTORY" in capsys.readouterr().err


def test_broken_edit_keeps_previous_directory_but_start_refuses(directory_file, directory_text):
    assert directory.current().department_of("USAN001").name == "産業課"
    directory_file.write_text(directory_text + "\n[[departments]]\nname = \n", encoding="utf-8")
    assert directory.current().department_of("USAN001").name == "産業課"  # running bot keeps working
    with pytest.raises(DirectoryError):
        directory.validate_at_start()


def test_cli_directory_without_action_says_what_to_type(capsys):
    assert main(["directory"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("エラー: 何をするか指定してください。") and "python -m bot directory check" in line


def test_missing_head_says_what_to_add(directory_text):
    err = _error(directory_text.replace('head = "UJUMHEAD"\n', ""))
    assert str(err).endswith('head = "U…" の行を追加してください。')
