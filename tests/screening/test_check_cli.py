"""`python -m bot check` contract: text report, --json, --jsonl, `-` (stdin), --account; odd input never crashes."""

import io
import json

import pytest

from bot.__main__ import main

KEYS = {"clause", "category", "severity", "start", "end", "excerpt", "message", "suggestion", "related"}


def _run(argv, capsys, monkeypatch, stdin=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_text_report_is_readable_japanese(capsys, monkeypatch):
    code, out, _ = _run(["check", "担当者携帯：080-1111-2222 までご連絡ください。"], capsys, monkeypatch)
    assert code == 0
    assert out.startswith("判定: 投稿前に修正が必要です。")
    assert "6(2)" in out and "「080-1111-2222」" in out and "理由:" in out and "対処:" in out


def test_clean_text_report(capsys, monkeypatch):
    code, out, _ = _run(["check", "本日午後3時から交通安全街頭啓発を行います。"], capsys, monkeypatch)
    assert code == 0 and "問題となる箇所は見つかりませんでした" in out


def test_json_is_one_object_with_the_contract_fields(capsys, monkeypatch):
    draft = "マイナンバーは９８７６５４３２１０９３です。"
    code, out, _ = _run(["check", "--json", draft], capsys, monkeypatch)
    obj = json.loads(out)
    assert code == 0 and obj["verdict"] == "block"
    f = obj["findings"][0]
    assert set(f) == KEYS
    assert draft[f["start"] : f["end"]] == f["excerpt"]
    assert isinstance(f["related"], list)


def test_jsonl_answers_every_line_in_order_even_broken_ones(capsys, monkeypatch):
    lines = [
        json.dumps({"text": "卑わいな画像を投稿します。"}, ensure_ascii=False),
        "this is not json",
        json.dumps({"question": "wrong key"}),
        json.dumps({"text": ""}),
        json.dumps(["a list"]),
        json.dumps({"text": "本日は晴れです。"}, ensure_ascii=False),
        json.dumps({"text": "あの国の人たちは信用できない。", "account": "private"}, ensure_ascii=False),
    ]
    code, out, _ = _run(["check", "--jsonl"], capsys, monkeypatch, stdin="\n".join(lines) + "\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == len(lines)
    assert [r["verdict"] for r in rows] == ["block", "ok", "ok", "ok", "ok", "ok", "block"]
    assert "2行目" in rows[1]["notice"] and "3行目" in rows[2]["notice"]
    assert "空" in rows[3]["notice"]
    assert rows[6]["findings"][0]["clause"] == "8(3)②ア"
    for r in rows:
        assert set(r) <= {"verdict", "findings", "notice"}


def test_dash_reads_the_draft_from_stdin(capsys, monkeypatch):
    code, out, _ = _run(["check", "--json", "-"], capsys, monkeypatch, stdin="テレビ番組のキャプチャ画像を載せます。\n")
    assert code == 0 and json.loads(out)["findings"][0]["clause"] == "6(7)"


def test_account_private(capsys, monkeypatch):
    code, out, _ = _run(["check", "--json", "--account", "private", "卑わいな画像を投稿します。"], capsys, monkeypatch)
    assert json.loads(out)["findings"][0]["clause"] == "8(3)②エ"


def test_missing_draft_is_a_polite_error(capsys, monkeypatch):
    code, _, err = _run(["check"], capsys, monkeypatch)
    assert code == 2 and err.startswith("エラー: 下書きを指定してください")


@pytest.mark.parametrize(
    "draft",
    [
        "",
        "   \n\t",
        "😀🎉👨‍👩‍👧‍👦",
        "https://www.town.urausu.hokkaido.jp/",
        "https://example.com/",
        "\x00\x01\x07\x1b[31m\ufeff\u200b",
        "\ud800 壊れた文字",
        "あ" * 20_000,
        ("町民センターは休館します。080-1111-2222。" * 700)[:20_000],
        "あ" * 25_000,
        "0" * 20_000,  # long digit and character runs must not make any pattern backtrack quadratically
        "1-" * 10_000,
        "a." * 10_000,
        "漢" * 20_000,
        "するそうです" * 3_000,
    ],
)
def test_odd_drafts_get_a_clear_answer(draft, capsys, monkeypatch):
    code, out, err = _run(["check", "--json", draft], capsys, monkeypatch)
    assert code == 0 and err == ""
    obj = json.loads(out)
    assert obj["verdict"] in ("ok", "warn", "block")
    for f in obj["findings"]:
        assert draft[f["start"] : f["end"]] == f["excerpt"]
    if not draft.strip():
        assert "空" in obj["notice"]
    if len(draft) > 20_000:
        assert "20,000" in obj["notice"]
