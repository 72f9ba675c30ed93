"""The search index: clauses of the active guideline, stored in the database and indexed in memory.

The active guideline is knowledge/guideline.txt unless `python -m bot index PATH` ingested another text.
Whenever a knowledge file changes (content hash), the clauses table and the in-memory index are rebuilt;
nobody has to run a command for that.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot import config, store
from bot.errors import UserError
from bot.guideline import Clause, Guideline, GuidelineFormatError, parse_guideline
from bot.search.terms import Analyzer, load_clause_terms, load_synonyms

GUIDELINE_FILE = "guideline.txt"
SYNONYM_FILE = "synonyms.tsv"
CLAUSE_TERM_FILE = "clause_terms.tsv"

# Field weights: a clause's own words count most, its heading and curated terms nearly as much,
# the section title and the parent's text give context.
FIELD_WEIGHTS = {"text": 1.0, "heading": 1.6, "terms": 1.4, "title": 0.6, "parent": 0.35}
OWN_FIELDS = ("text", "heading", "terms")
K1, B = 0.9, 0.5


@store.migration
def _tables(db) -> None:
    db["clauses"].create(
        {"id": str, "ord": int, "title": str, "heading": str, "text": str, "parent": str, "parent_text": str},
        pk="id",
        if_not_exists=True,
    )


@dataclass
class IndexedClause:
    """A clause as the lexical index sees it: its term vector (term frequencies) and length."""

    clause: Clause
    tf: dict[str, float]
    length: float


@dataclass
class Index:
    guideline: Guideline
    analyzer: Analyzer
    docs: list[IndexedClause]
    idf: dict[str, float]
    avg_len: float
    digest: str
    parents: set[str] = field(default_factory=set)  # ids of clauses that have children
    max_idf: float = 0.0
    clause_terms: dict[str, list[str]] = field(default_factory=dict)
    own: bool = True  # the pack's own guideline (knowledge/guideline.txt), which its examples describe


_cache: dict[str, Index] = {}
_lock = threading.Lock()
_stamp: tuple = ()
_stamp_digest = ""


def _read(path: Path, required: bool = False) -> str:
    from bot.knowledge.read import read_text

    return read_text(path, path.name, missing_ok=not required, empty_ok=not required)


def _sources() -> tuple[str, str, str, str]:
    """(guideline text, guideline name, synonyms text, clause terms text) of the active guideline."""
    kdir = config.knowledge_dir()
    source = store.get_meta("guideline_source") or "knowledge"
    if source == "knowledge":
        text = _read(kdir / GUIDELINE_FILE, required=True)
        name = "knowledge"
    else:
        text = store.get_meta("guideline_text") or ""
        name = source
    # mapping.toml (a pack made by `index`) decides which clause terms apply: part of the terms' digest
    return text, name, _read(kdir / SYNONYM_FILE), _read(kdir / CLAUSE_TERM_FILE) + "\0" + _read(kdir / "mapping.toml")


def _file_stamp() -> tuple:
    kdir = config.knowledge_dir()
    out = [str(config.db_path()), store.get_meta("guideline_source") or "knowledge"]
    for name in (GUIDELINE_FILE, SYNONYM_FILE, CLAUSE_TERM_FILE, "mapping.toml"):
        try:
            st = os.stat(kdir / name)
            out.append((st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def current_index() -> Index:
    """The index for the active guideline, rebuilt when any knowledge file changed."""
    global _stamp, _stamp_digest
    stamp = _file_stamp()
    if stamp == _stamp and _stamp_digest in _cache:
        return _cache[_stamp_digest]
    with _lock:
        text, name, synonyms, terms = _sources()
        digest = hashlib.sha256("\0".join((name, text, synonyms, terms)).encode()).hexdigest()
        if digest not in _cache:
            _cache.clear()
            _cache[digest] = _build(text, name, synonyms, terms, digest)
        _stamp, _stamp_digest = stamp, digest
        return _cache[digest]


def _build(text: str, name: str, synonyms: str, terms: str, digest: str) -> Index:
    try:
        guideline = parse_guideline(text, name=name)
    except GuidelineFormatError as err:
        raise UserError(f"ガイドライン本文（{name}）を読み取れません: {err}") from err
    kdir = config.knowledge_dir()
    analyzer = Analyzer(load_synonyms(synonyms, kdir / SYNONYM_FILE))
    # clause_terms.tsv describes knowledge/guideline.txt by clause id; another ingested text has other clauses
    clause_terms = _clause_terms(terms, kdir, guideline) if name == "knowledge" else {}
    _persist(guideline, digest)
    docs, own = [], []
    for c in guideline.clauses:
        fields = {
            "text": c.text,
            "heading": c.heading,
            "terms": " ".join(clause_terms.get(c.id, [])),
            "title": c.title,
            "parent": c.parent_text,
        }
        tf: Counter = Counter()
        own_terms: list[str] = []
        length = 0.0
        for fname, ftext in fields.items():
            if not ftext:
                continue
            toks = analyzer.terms(ftext)
            w = FIELD_WEIGHTS[fname]
            if fname in OWN_FIELDS:
                own_terms += toks
            for t in toks:
                tf[t] += w
            length += w * len(toks)
        docs.append(IndexedClause(c, dict(tf), length))
        own.append(set(own_terms))
    n = len(docs)
    df: Counter = Counter()
    for terms_of_clause in own:
        df.update(terms_of_clause)
    idf = {t: math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for d in docs for t in d.tf}
    avg = sum(d.length for d in docs) / max(1, n)
    parents = {c.parent for c in guideline.clauses if c.parent}
    return Index(guideline, analyzer, docs, idf, avg, digest, parents, max(idf.values(), default=1.0), clause_terms,
                 name == "knowledge")


def _clause_terms(terms: str, kdir: Path, guideline: Guideline) -> dict[str, list[str]]:
    """Staff words per clause of this guideline: the pack's ids, through its mapping when it has one."""
    from bot.knowledge import current_pack

    pack = current_pack(kdir)
    known = set(guideline.ids()) | set(pack.mapping or {})
    out: dict[str, list[str]] = {}
    for cid, words in load_clause_terms(terms.split("\0")[0], kdir / CLAUSE_TERM_FILE, known).items():
        target = pack.resolve(cid)
        if target:
            out.setdefault(target, []).extend(words)
    return out


def _persist(guideline: Guideline, digest: str) -> None:
    db = store.db()
    if store.get_meta("index_hash", db) == digest:
        return
    with store.transaction(db):  # readers in other processes never see a half-written table
        if store.get_meta("index_hash", db) == digest:
            return  # another process rebuilt it meanwhile
        db["clauses"].delete_where()
        db["clauses"].insert_all(
            {
                "id": c.id,
                "ord": c.order,
                "title": c.title,
                "heading": c.heading,
                "text": c.text,
                "parent": c.parent,
                "parent_text": c.parent_text,
            }
            for c in guideline.clauses
        )
        store.set_meta("index_hash", digest, db)
        store.set_meta("guideline_name", guideline.name, db)


def ingest(path: Path) -> Guideline:
    """Make the guideline at ``path`` the active one (stored in the database)."""
    text = _read(path) if path.exists() else None
    if text is None:
        raise UserError(f"ファイルが見つかりません: {path}")
    try:
        guideline = parse_guideline(text, name=path.stem)
    except GuidelineFormatError as err:
        raise UserError(f"{path}: {err}") from err
    store.set_meta("guideline_text", text)
    store.set_meta("guideline_source", f"file:{path.name}")
    current_index()
    return guideline


def reset_to_knowledge() -> Guideline:
    store.set_meta("guideline_source", "knowledge")
    return current_index().guideline


def stored_clauses() -> list[Clause]:
    """Clauses as stored in the database (after making sure the index is current)."""
    current_index()
    rows = store.db()["clauses"].rows_where(order_by="ord")
    return [
        Clause(
            id=r["id"],
            title=r["title"],
            heading=r["heading"],
            text=r["text"],
            parent=r["parent"],
            parent_text=r["parent_text"],
            order=r["ord"],
        )
        for r in rows
    ]
