"""Validating a Pack as a whole: every clause reference in its files must exist in its guideline.

Checkers are pluggable: a checker is ``fn(pack) -> Iterable[Problem]``, registered with ``@checker``.
The built-in ones cover the files every pack has; a module that adds a kind of knowledge file
(bot.search, bot.screening, …) registers its own in a module named in ``PLUGINS`` (imported when the
pack is checked), typically in one line with the helpers below:

    from bot.knowledge.checks import checker, toml_clause_refs, tsv_clause_refs

    @checker
    def my_files(pack):
        yield from tsv_clause_refs(pack, "examples/answers/*.tsv", column=1)
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.pack import MAPPING, Pack
from bot.knowledge.read import KnowledgeError, read_text, tsv_rows

# Modules that register checkers for their own files (missing ones are skipped).
PLUGINS = ("bot.search.pack_checks", "bot.screening.pack_checks", "bot.incidents.pack_checks")
NOT_A_CLAUSE = ("-", "範囲外", "")
ACCOUNTS = ("official", "private")


@dataclass(frozen=True)
class Problem:
    file: str  # path inside the pack, e.g. screening/categories.toml
    line: int  # 1-based, 0 when the whole file is concerned
    message: str

    def __str__(self) -> str:
        if not self.file:
            return self.message
        return f"{self.file} {self.line}行目: {self.message}" if self.line else f"{self.file}: {self.message}"


Checker = Callable[[Pack], Iterable[Problem]]
_CHECKERS: list[Checker] = []


def checker(fn: Checker) -> Checker:
    """Register a reference checker (idempotent)."""
    if fn not in _CHECKERS:
        _CHECKERS.append(fn)
    return fn


def missing_clause(pack: Pack, file: str, line: int, clause_id: str) -> Problem | None:
    """The standard problem for a reference to a clause the pack's guideline does not have."""
    if pack.known_reference(clause_id):
        return None
    return Problem(file, line, f"条項 {clause_id} はこのガイドラインにありません。")


def check_refs(pack: Pack, file: str, refs: Iterable[tuple[int, str]]) -> Iterator[Problem]:
    for line, cid in refs:
        p = missing_clause(pack, file, line, cid)
        if p:
            yield p


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|#.*')
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def toml_values(text: str, keys: Iterable[str]) -> Iterator[tuple[int, str, str, str]]:
    """(line, table, key, string) for each string value of the given keys (one string or an array of
    strings, also across lines). The file must already have parsed as TOML."""
    keys = set(keys)
    key_re = re.compile(r"^\s*(" + "|".join(re.escape(k) for k in keys) + r")\s*=\s*(.*)$")
    table, active, depth = "", "", 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not active:
            h = _HEADER.match(line)
            if h and "=" not in line.split("#")[0]:
                table = h.group(1)
                continue
            m = key_re.match(line)
            if not m:
                continue
            active, rest, depth = m.group(1), m.group(2), 0
        else:
            rest = line
        for tok in _STRING.finditer(rest):
            if tok.group(0).startswith("#"):
                break
            yield n, table, active, tok.group(1) if tok.group(1) is not None else tok.group(2)
        code = _STRING.sub(lambda t: "" if t.group(0).startswith("#") else '""', rest)
        depth += code.count("[") - code.count("]")
        if depth <= 0:
            active = ""


def toml_clause_refs(pack: Pack, relpath: str, keys: Iterable[str]) -> Iterator[Problem]:
    """Problems for clause references under ``keys`` in each TOML file matching ``relpath`` (a glob)."""
    for path in sorted(pack.dir.glob(relpath)):
        label = pack.label(path)
        text = read_text(path, label, empty_ok=True)
        yield from check_refs(pack, label, ((n, v.strip()) for n, _t, _k, v in toml_values(text, keys) if v.strip()))


def split_ids(cell: str) -> list[str]:
    return [c for c in re.split(r"[,、，\s]+", cell.strip()) if c and c not in NOT_A_CLAUSE]


def tsv_clause_refs(pack: Pack, relpath: str, column: int, many: bool = False) -> Iterator[Problem]:
    """Problems for clause ids in ``column`` (0-based; ``many``: comma-separated) of each matching TSV."""
    for path in sorted(pack.dir.glob(relpath)):
        label = pack.label(path)
        for n, cells in tsv_rows(read_text(path, label, empty_ok=True)):
            if len(cells) <= column:
                continue
            ids = split_ids(cells[column]) if many else [cells[column].strip()]
            yield from check_refs(pack, label, ((n, c) for c in ids if c))


# ---- built-in checkers -------------------------------------------------------------------------------


@checker
def readable(pack: Pack) -> Iterator[Problem]:
    """Every text file of the pack: encoding, emptiness, TOML syntax."""
    from bot.knowledge.read import parse_toml

    for path in all_files(pack.dir):
        if path.suffix not in (".toml", ".tsv", ".txt"):
            continue
        label = pack.label(path)
        try:
            text = read_text(path, label)
            if path.suffix == ".toml":
                parse_toml(text, label)
        except KnowledgeError as err:
            yield Problem("", 0, str(err))

CATEGORY_KEYS = ("clause", "private_clause", "related", "private_related")
REPORT_KEYS = ("clauses", "do_not_rebut")


@checker
def categories(pack: Pack) -> Iterator[Problem]:
    yield from toml_clause_refs(pack, f"{pack.manifest.files['screening']}/categories.toml", CATEGORY_KEYS)


@checker
def laws(pack: Pack) -> Iterator[Problem]:
    """The clause each law of screening/laws.toml falls under exists in the guideline."""
    yield from toml_clause_refs(pack, f"{pack.manifest.files['screening']}/laws.toml", ("clause",))


@checker
def report_types(pack: Pack) -> Iterator[Problem]:
    yield from toml_clause_refs(pack, pack.manifest.files["report_types"], REPORT_KEYS)


@checker
def clause_files(pack: Pack) -> Iterator[Problem]:
    yield from tsv_clause_refs(pack, pack.manifest.files["clause_terms"], 0)
    yield from tsv_clause_refs(pack, "clause_summaries.tsv", 0)


@checker
def question_examples(pack: Pack) -> Iterator[Problem]:
    yield from tsv_clause_refs(pack, "examples/questions/*.tsv", 1, many=True)


def category_names(pack: Pack) -> set[str]:
    from bot.knowledge.read import parse_toml

    path = pack.path("screening") / "categories.toml"
    text = read_text(path, pack.label(path), missing_ok=True)
    return set(parse_toml(text, pack.label(path))) if text.strip() else set()


@checker
def screening_examples(pack: Pack) -> Iterator[Problem]:
    paths = sorted((pack.path("screening") / "examples").glob("*.tsv"))
    if not paths:
        return
    names = category_names(pack)
    for path in paths:
        label = pack.label(path)
        for n, cells in tsv_rows(read_text(path, label, empty_ok=True)):
            if len(cells) < 3:
                yield Problem(label, n, "「文章<TAB>種類（なければ -）<TAB>official か private」の3列で書いてください。")
                continue
            cat, account = cells[1].strip(), cells[2].strip()
            if cat != "-" and cat not in names:
                yield Problem(label, n, f"種類「{cat}」は screening/categories.toml にありません。")
            if account not in ACCOUNTS:
                yield Problem(label, n, f"3列目は official か private にしてください（「{account}」になっています）。")


@checker
def mapping_targets(pack: Pack) -> Iterator[Problem]:
    for e in (pack.mapping or {}).values():
        if e.target and pack.guideline.get(e.target) is None:
            yield Problem(MAPPING, e.line, f"対応先の条項 {e.target} はこのガイドラインにありません。")
        elif e.confirmed and not e.target:
            yield Problem(MAPPING, e.line, f"条項 {e.source} は confirmed = true ですが、対応先（to）が空です。")


def _load_plugins() -> None:
    for name in PLUGINS:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise


def check_pack(pack: Pack) -> list[Problem]:
    """Every problem of the pack's references, in file order. A file that cannot be read at all is one
    problem (its KnowledgeError's line)."""
    _load_plugins()
    out: list[Problem] = []
    for fn in _CHECKERS:
        try:
            out.extend(fn(pack))
        except KnowledgeError as err:
            out.append(Problem("", 0, str(err)))
    return out


def all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
