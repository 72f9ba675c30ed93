"""Reading knowledge files: one reader for every loader (guideline, TSV, TOML, the directory).

UTF-8 with or without a BOM is accepted; a file saved as Shift_JIS/CP932 or UTF-16 (common on Windows) is
recognised and named with the fix; an empty file is named as empty; TOML syntax errors become one polite
Japanese line with the file and the line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bot.errors import UserError


class KnowledgeError(UserError):
    """A knowledge file cannot be used; str(err) is one polite Japanese line naming the file (and line)."""


def _resave(label: str, encoding: str) -> str:
    return f"{label} は {encoding} で保存されているようです。UTF-8 で保存し直してください。"


def decode(data: bytes, label: str) -> str:
    """Bytes of a knowledge file as text (BOM removed); KnowledgeError naming the encoding otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise KnowledgeError(_resave(label, "UTF-16"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        try:
            data.decode("cp932")
        except UnicodeDecodeError:
            line = data[: err.start].count(b"\n") + 1
            raise KnowledgeError(
                f"{label} {line}行目: UTF-8 のテキストとして読めない文字があります。UTF-8 で保存し直してください。"
            ) from None
        raise KnowledgeError(_resave(label, "Shift_JIS")) from None
    return text.replace("\ufeff", "") if text.startswith("\ufeff") else text


def read_text(path: Path, label: str | None = None, *, missing_ok: bool = False, empty_ok: bool = False) -> str:
    """The text of a knowledge file. ``label`` is how the file is named to people (default: its name).

    missing_ok: a missing file reads as "" (optional files); empty_ok: an empty file is allowed.
    """
    label = label or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return ""
        raise KnowledgeError(f"{label}: ファイルが見つかりません（{path}）。") from None
    except IsADirectoryError:
        raise KnowledgeError(f"{label} はフォルダです。ファイルを指定してください（{path}）。") from None
    except OSError as err:
        raise KnowledgeError(f"{label} を読み込めません（{err.strerror or err}）。ファイルの権限を確認してください。") from None
    text = decode(data, label)
    if not text.strip() and not empty_ok:
        raise KnowledgeError(f"{label}: ファイルが空です。内容を書いてから保存してください。")
    return text


# tomllib's messages (English) → Japanese. Unknown ones get the generic wording.
_TOML_MESSAGES = [
    ("Unclosed array", "配列の閉じかっこ「]」がありません"),
    ("Unclosed inline table", "インラインテーブルの閉じかっこ「}」がありません"),
    ("Unterminated string", "文字列の閉じる引用符「\"」がありません"),
    ("Expected '=' after a key", "キーの後に「=」がありません"),
    ("Invalid statement", "この行は「キー = 値」や「[表の名前]」の形になっていません"),
    ("Invalid value", "値の書き方が正しくありません（文字列は \"…\" で囲んでください）"),
    ("Cannot overwrite a value", "同じキーが2回書かれています"),
    ("Cannot declare", "同じ表が2回書かれています"),
    ("Invalid initial character for a key part", "キーの書き方が正しくありません"),
    ("Illegal character", "使えない文字（制御文字など）があります"),
    ("Expected newline or end of document", "1行に2つ以上の項目が書かれています（改行してください）"),
    ("Unclosed table declaration", "表の名前の閉じかっこ「]」がありません"),
    ("Expected ']' at the end of a table declaration", "表の名前の閉じかっこ「]」がありません"),
    ("Invalid date or datetime", "日付の書き方が正しくありません"),
    ("Unescaped '\\' in a string", "文字列の中の「\\」は「\\\\」と書いてください"),
    ("Unescaped", "文字列の中に使えない文字があります"),
    ("Expected ',' or ']' after a value in an array", "配列の値の間に「,」がないか、閉じかっこ「]」がありません"),
    ("Expected ',' or '}' after a value in an inline table", "インラインテーブルの値の間に「,」がありません"),
]


def toml_message(err: tomllib.TOMLDecodeError) -> tuple[int, str]:
    """(line or 0, Japanese description) of a TOML syntax error."""
    msg = str(err)
    m = re.search(r"at line (\d+)", msg)
    line = int(m.group(1)) if m else 0
    for english, japanese in _TOML_MESSAGES:
        if msg.startswith(english):
            return line, japanese
    return line, "書き方に誤りがあります"


def parse_toml(text: str, label: str) -> dict:
    """TOML text → dict; KnowledgeError 「label N行目: TOML の書き方に誤りがあります（…）。」."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line, what = toml_message(err)
        where = f" {line}行目" if line else ""
        raise KnowledgeError(f"{label}{where}: TOML の書き方に誤りがあります（{what}）。") from None


def read_toml(path: Path, label: str | None = None, *, missing_ok: bool = False) -> tuple[str, dict]:
    """(text, data) of a TOML knowledge file."""
    label = label or path.name
    text = read_text(path, label, missing_ok=missing_ok, empty_ok=missing_ok)
    return text, parse_toml(text, label) if text.strip() else {}


def tsv_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank, non-comment line of a TSV knowledge file."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append((n, line.rstrip("\r").split("\t")))
    return out
