"""Labelled examples for Check, kept in knowledge/screening/examples/*.tsv (総務課 can edit them).

One example a line: ``text<TAB>category or -<TAB>official|private``. ``-`` is a clean post. In a
multi-sentence draft one violating passage may be marked ``⟦…⟧``: the category names that passage and
the text outside the marks is clean. Lines starting with ``#`` are comments. Each file is one batch
(named by its content); the learned layer trains on all of them and is scored leave-one-batch-out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

OPEN, CLOSE = "⟦", "⟧"
ACCOUNTS = ("official", "private")


@dataclass(frozen=True)
class Example:
    text: str  # without the marks
    category: str  # "" = clean
    account: str
    span: tuple[int, int] | None  # the marked violating passage in ``text``, if any
    batch: str  # file name
    line: int


def parse(raw: str, batch: str, categories: set[str] | None = None) -> tuple[list[Example], list[str]]:
    """Examples of one file's text and the problems found (one polite Japanese line each)."""
    out: list[Example] = []
    errors: list[str] = []
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    for no, line in enumerate(raw.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        where = f"examples/{batch} {no}行目"
        if len(cols) != 3:
            errors.append(f"{where}: 「文<TAB>種類または -<TAB>official か private」の3列で書いてください。")
            continue
        text, category, account = cols[0], cols[1].strip(), cols[2].strip()
        if account not in ACCOUNTS:
            errors.append(f"{where}: 3列目は official か private にしてください（「{account}」）。")
            continue
        if category != "-" and categories is not None and category not in categories:
            errors.append(f"{where}: 種類「{category}」は categories.toml に定義されていません。")
            continue
        span = None
        if OPEN in text or CLOSE in text:
            a, b = text.find(OPEN), text.find(CLOSE)
            if text.count(OPEN) != 1 or text.count(CLOSE) != 1 or b < a or category == "-":
                errors.append(f"{where}: ⟦…⟧ は違反の箇所1つだけを囲み、種類を書いてください。")
                continue
            text = text[:a] + text[a + 1:b] + text[b + 1:]
            span = (a, b - 1)
            if not text[span[0]:span[1]].strip():
                errors.append(f"{where}: ⟦⟧ の中が空です。")
                continue
        if not text.strip():
            errors.append(f"{where}: 文が空です。")
            continue
        out.append(Example(text, "" if category == "-" else category, account, span, batch, no))
    return out, errors


def files(folder: Path) -> list[Path]:
    return sorted((folder / "examples").glob("*.tsv"))


def load(folder: Path, categories: set[str] | None = None) -> list[Example]:
    """Every example under ``folder``/examples (folder = knowledge/screening); ValueError on a bad line."""
    out: list[Example] = []
    for path in files(folder):
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"examples/{path.name}: UTF-8 のテキストとして読めません。") from None
        exs, errors = parse(raw, path.name, categories)
        if errors:
            raise ValueError(errors[0])
        out.extend(exs)
    return out


def content_hash(folder: Path) -> str:
    """A hash of every example file (names and bytes): the learned layer's cache key."""
    if not files(folder):
        return ""
    h = hashlib.sha256()
    for path in files(folder):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def validate(pack_dir: Path) -> list[str]:
    """Problems in a pack's screening examples (pack_dir = a knowledge folder), one line each; [] when fine."""
    import tomllib

    folder = Path(pack_dir) / "screening"
    try:
        categories = set(tomllib.loads((folder / "categories.toml").read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        categories = None
    errors: list[str] = []
    if not files(folder):
        errors.append("screening/examples: 例文のファイル（*.tsv）がありません。")
    for path in files(folder):
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            errors.append(f"examples/{path.name}: UTF-8 のテキストとして読めません。")
            continue
        errors.extend(parse(raw, path.name, categories)[1])
    return errors
