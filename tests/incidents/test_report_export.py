"""`python -m bot incidents [--json|--csv] [--open]`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot.__main__ import main
from bot.incidents import classify, submit, tick

FIELDS = ["id", "type", "status", "url", "reporter", "department", "channel", "thread_ts", "created", "steps"]


def _seed():
    a = submit(classify("偽アカウントです https://x.com/urausu_fake"), reporter="USAN001", channel="C1", thread_ts="1.0", message_key="Ev1").incident
    b = submit(classify("町の投稿が炎上しています"), reporter="UOUTSIDER", channel="C2", thread_ts="2.0", message_key="Ev2").incident
    tick(a.id, 0, "USANHEAD")  # 事実確認
    tick(b.id, b.steps[-1].pos, "UGAHEAD")
    return a, b


def test_json_export(directory_file, capsys):
    a, b = _seed()
    assert main(["incidents", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == [a.id, b.id]
    first = data[0]
    assert list(first) == FIELDS
    assert first["type"] == "impersonation" and first["status"] == "open" and first["department"] == "産業課"
    assert first["url"] == "https://x.com/urausu_fake" and first["channel"] == "C1" and first["thread_ts"] == "1.0"
    assert first["steps"] == [{"name": "事実確認", "done_by": "USANHEAD", "done_at": first["steps"][0]["done_at"]}]
    assert first["steps"][0]["done_at"].startswith("20")
    assert data[1]["status"] == "closed" and data[1]["department"] == ""


def test_open_filter(directory_file, capsys):
    a, _ = _seed()
    assert main(["incidents", "--json", "--open"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)] == [a.id]


def test_csv_export(directory_file, capsys):
    a, b = _seed()
    assert main(["incidents", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(r["id"]) for r in rows] == [a.id, b.id]
    assert list(rows[0]) == FIELDS
    assert rows[0]["steps"].startswith("事実確認 (USANHEAD 20")
    assert rows[1]["steps"].startswith("完了 (UGAHEAD ")


def test_format_csv_is_for_excel(directory_file, capsysbinary):
    """--format csv is for Excel: a BOM, Japanese labels for the same fields in the same order, JST, names."""
    a, b = _seed()
    assert main(["incidents", "--format", "csv"]) == 0
    raw = capsysbinary.readouterr().out
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [int(r["報告番号"]) for r in rows] == [a.id, b.id]
    assert list(rows[0])[:len(FIELDS)] == ["報告番号", "種類", "状況", "対象URL", "報告者", "所属", "チャンネル", "スレッド",
                                           "報告日時", "済んだ手順"]
    assert rows[0]["種類"] == "なりすまし" and rows[1]["状況"] == "完了"
    assert rows[0]["済んだ手順"].startswith("事実確認（USANHEAD 20") and "年" in rows[0]["済んだ手順"]
    assert rows[1]["済んだ手順"].startswith("完了（UGAHEAD ")


def test_text_export_and_empty(directory_file, capsys):
    assert main(["incidents"]) == 0
    assert "報告はまだありません" in capsys.readouterr().out
    _seed()
    assert main(["incidents"]) == 0
    out = capsys.readouterr().out
    assert "なりすまし" in out and "炎上" in out and "所属部署不明" in out and "✓ 事実確認" in out


def test_json_and_csv_together_is_refused(capsys):
    import pytest

    with pytest.raises(SystemExit) as info:
        main(["incidents", "--json", "--csv"])
    assert info.value.code == 2


@pytest.mark.parametrize(
    "argv, shown",
    [
        (["incidents", "--json", "--csv"], "--csv と --json は同時に指定できません"),
        (["serve", "--http", "--port", "abc"], "--port には数字を指定してください"),
        (["incidents", "--bogus"], "使えない引数があります: --bogus"),
    ],
)
def test_argument_mistakes_are_one_polite_japanese_line(argv, shown, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("エラー: ") and shown in line and "-h」で確認できます。" in line
    assert "error:" not in line and "usage" not in line
