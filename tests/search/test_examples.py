"""Example questions and clause summaries are knowledge files, validated at load (file and line named)."""

import shutil
from pathlib import Path

from bot.search.examples import validate_examples
from tests.search.test_ask import run_bot

ROOT = Path(__file__).resolve().parents[2]


def _pack(tmp_path):
    kdir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kdir)
    return kdir


def test_shipped_pack_is_valid():
    assert validate_examples(ROOT / "knowledge") == []


def test_every_mistake_is_one_line_naming_file_and_line(tmp_path):
    kdir = _pack(tmp_path)
    path = kdir / "examples" / "questions" / "new-batch.tsv"
    path.write_text("# 新しい例\n勤務中にXを見てもいい？\t8(1)⑤\n炎上したら？\t7(9)\nタブがない行\n給食の献立は？\t範囲外\n",
                    encoding="utf-8")
    (kdir / "clause_summaries.tsv").open("a", encoding="utf-8").write("6(11)\tない条項\n")
    errors = validate_examples(kdir)
    assert len(errors) == 3
    assert "new-batch.tsv 3行目" in errors[0] and "7(9)" in errors[0]
    assert "new-batch.tsv 4行目" in errors[1] and "形式" in errors[1]
    assert "clause_summaries.tsv" in errors[2] and "6(11)" in errors[2]


def test_ask_refuses_to_run_on_a_broken_examples_file(tmp_path):
    kdir = _pack(tmp_path)
    (kdir / "examples" / "questions" / "bad.tsv").write_text("質問です\t9(9)\n", encoding="utf-8")
    p = run_bot("ask", "勤務中にSNSを見てもいい？", env={"BOT_KNOWLEDGE": str(kdir)})
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "bad.tsv 1行目" in p.stderr and "9(9)" in p.stderr


def test_shift_jis_examples_file_is_named(tmp_path):
    kdir = _pack(tmp_path)
    (kdir / "examples" / "questions" / "sjis.tsv").write_bytes("勤務中に見てもいい？\t8(1)⑤\n".encode("cp932"))
    [error] = validate_examples(kdir)
    assert "sjis.tsv" in error and "UTF-8" in error
