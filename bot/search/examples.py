"""Labelled example questions (knowledge data) and the clause summaries, loaded and validated.

- ``knowledge/examples/questions/<style>.tsv``: ``question<TAB>clause ids (comma-separated) or - / 範囲外``.
  One file is one batch written together: cross-validation holds out one file at a time.
- Examples 総務課 labels in Slack (「総務課に聞く」) go to the database table ``learned_examples`` and are
  merged with the files at load (the bot never writes into knowledge/, which 総務課 edits and may keep
  under version control or read-only).
- ``knowledge/clause_summaries.tsv``: ``clause id<TAB>one plain sentence`` shown above the quote.

``validate_examples(pack_dir)`` returns every problem as one polite Japanese line naming the file and line;
bot.knowledge calls it for pack-wide validation, the index raises the first one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bot import store
from bot.text import strip_controls

EXAMPLES_DIR = Path("examples") / "questions"
SUMMARY_FILE = "clause_summaries.tsv"
OUT_OF_SCOPE = ("-", "範囲外")
LEARNED_BATCH = "soumu-labelled"  # the batch name of examples labelled by 総務課 in Slack
MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Example:
    """A question and the clause ids that answer it; ``clauses == ()`` means 範囲外 (not covered)."""

    text: str
    clauses: tuple[str, ...]
    batch: str  # the file's stem (or LEARNED_BATCH)
    line: int = 0

    @property
    def in_scope(self) -> bool:
        return bool(self.clauses)


@store.migration
def _tables(db) -> None:
    db["learned_examples"].create(
        {"id": int, "question": str, "clause_ids": str, "created": str}, pk="id", if_not_exists=True
    )


def _read_lines(path: Path) -> tuple[list[str], str]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        return [], f"{path} を読み込めません（{err.strerror or err}）。"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], f"{path} の文字コードが UTF-8 ではありません。UTF-8 で保存し直してください。"
    return text.splitlines(), ""


def parse_examples(path: Path, clause_ids: set[str] | None) -> tuple[list[Example], list[str]]:
    """(examples, errors) of one examples file; a line with an error is left out."""
    lines, err = _read_lines(path)
    if err:
        return [], [err]
    out, errors = [], []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        question, tab, labels = line.partition("\t")
        question = strip_controls(question).strip()
        labels = labels.strip()
        where = f"{path} {lineno}行目"
        if not tab or not question or not labels:
            errors.append(f"{where}: 「質問<TAB>条項番号（カンマ区切り）または -」の形式で書いてください。")
            continue
        if len(question) > MAX_QUESTION_CHARS:
            errors.append(f"{where}: 質問が長すぎます（{MAX_QUESTION_CHARS}文字以内にしてください）。")
            continue
        if labels in OUT_OF_SCOPE:
            out.append(Example(question, (), path.stem, lineno))
            continue
        ids = tuple(dict.fromkeys(i.strip() for i in labels.replace("、", ",").split(",") if i.strip()))
        unknown = [i for i in ids if clause_ids is not None and i not in clause_ids]
        if unknown:
            errors.append(f"{where}: 条項番号「{unknown[0]}」はガイドラインにありません。番号を確かめてください。")
            continue
        out.append(Example(question, ids, path.stem, lineno))
    return out, errors


def example_files(pack_dir: Path) -> list[Path]:
    folder = Path(pack_dir) / EXAMPLES_DIR
    return sorted(folder.glob("*.tsv")) if folder.is_dir() else []


def load_examples(pack_dir: Path, clause_ids: set[str] | None) -> tuple[list[Example], list[str]]:
    """Every example file of the pack, in file order: (examples, errors)."""
    examples, errors = [], []
    for path in example_files(pack_dir):
        ex, err = parse_examples(path, clause_ids)
        examples += ex
        errors += err
    return examples, errors


def parse_summaries(text: str, path: Path | str, clause_ids: set[str] | None) -> tuple[dict[str, str], list[str]]:
    out, errors = {}, []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cid, tab, summary = line.partition("\t")
        cid, summary = cid.strip().lstrip("\ufeff"), " ".join(summary.split())
        where = f"{path} {lineno}行目"
        if not tab or not cid or not summary:
            errors.append(f"{where}: 「条項番号<TAB>ひとことで言うと」の形式で書いてください。")
        elif clause_ids is not None and cid not in clause_ids:
            errors.append(f"{where}: 条項番号「{cid}」はガイドラインにありません。番号を確かめてください。")
        elif cid in out:
            errors.append(f"{where}: 条項番号「{cid}」の要約が2回書かれています。1行にまとめてください。")
        else:
            out[cid] = summary
    return out, errors


def _pack_clause_ids(pack_dir: Path) -> tuple[set[str] | None, list[str]]:
    from bot.guideline import GuidelineFormatError, parse_guideline

    path = Path(pack_dir) / "guideline.txt"
    try:
        return set(parse_guideline(path.read_text(encoding="utf-8-sig"), name="knowledge").ids()), []
    except FileNotFoundError:
        return None, [f"{path} がありません。"]
    except (OSError, UnicodeDecodeError, GuidelineFormatError) as err:
        return None, [f"{path} を読み取れません（{err}）。"]


def validate_examples(pack_dir: Path | str) -> list[str]:
    """Every problem of the pack's question examples and clause summaries, one polite Japanese line each
    (file and line named). Empty list: all good. Clause ids are checked against the pack's guideline.txt."""
    pack_dir = Path(pack_dir)
    ids, errors = _pack_clause_ids(pack_dir)
    if ids is None:
        return errors
    errors += load_examples(pack_dir, ids)[1]
    path = pack_dir / SUMMARY_FILE
    if path.exists():
        lines, err = _read_lines(path)
        errors += [err] if err else parse_summaries("\n".join(lines), path, ids)[1]
    return errors


# --- examples labelled by 総務課 in Slack -------------------------------------------------------------


def add_learned_example(question: str, clause_ids: list[str] | tuple[str, ...]) -> None:
    """Remember 総務課's label for a question (clause ids, or () for 範囲外); used from the next question on."""
    q = strip_controls(question or "").strip()[:MAX_QUESTION_CHARS]
    if not q:
        return
    store.db()["learned_examples"].insert(
        {"question": q, "clause_ids": ",".join(clause_ids) or "-",
         "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    )


def learned_version() -> tuple[int, int]:
    """(count, last id) of learned examples: changes whenever one is added."""
    row = store.db().execute("select count(*), coalesce(max(id), 0) from learned_examples").fetchone()
    return int(row[0]), int(row[1])


def learned_examples(clause_ids: set[str] | None) -> list[Example]:
    """Learned examples whose clauses still exist in the active guideline (a later label of the same
    question replaces an earlier one)."""
    latest: dict[str, Example] = {}
    for r in store.db()["learned_examples"].rows_where(order_by="id"):
        labels = r["clause_ids"]
        ids = () if labels in OUT_OF_SCOPE else tuple(i for i in labels.split(",") if i)
        if clause_ids is not None and any(i not in clause_ids for i in ids):
            continue
        latest[r["question"]] = Example(r["question"], ids, LEARNED_BATCH, int(r["id"]))
    return list(latest.values())
