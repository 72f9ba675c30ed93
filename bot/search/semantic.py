"""The semantic side of the index: clause and summary vectors, the labelled examples as a kNN pool, and the
trained ranking/decision parameters (bot.search.rank), kept per version of the knowledge.

Vectors of clauses, summaries and examples are cached in the database by content hash (bot.semantics);
the trained parameters are cached in the database by a digest of everything they were trained on, so a
restart loads instead of training. Examples labelled by 総務課 in Slack join the kNN pool as soon as they
are stored (no retraining needed); they are in the next training when the knowledge files change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot import config, semantics, store
from bot.chargrams import GramIndex
from bot.errors import UserError
from bot.search import rank
from bot.search.examples import (
    LEARNED_BATCH,
    SUMMARY_FILE,
    Example,
    example_files,
    learned_examples,
    learned_version,
    load_examples,
    parse_summaries,
)

log = logging.getLogger(__name__)
SEED_FILE = Path(__file__).with_name("seed_params.json")  # parameters for the shipped knowledge (tools/seed_vectors.py)
TRAIN_VERSION = "ask-rank-6"  # bump when features or training change: cached parameters are retrained


@dataclass
class Semantic:
    ids: list[str]
    parents: np.ndarray  # clause has children
    clause_vecs: np.ndarray
    summary_vecs: np.ndarray
    summaries: dict[str, str]
    examples: list[Example]  # knowledge files, then learned
    ex_vecs: np.ndarray
    labels: np.ndarray  # examples × clauses
    oos: np.ndarray
    grams: GramIndex  # the examples by character n-grams (surface neighbours)
    params: rank.Params
    key: tuple = ()


def clause_passage(c) -> str:
    head = c.heading if c.heading and c.heading not in (c.title, c.text) else ""
    return " ".join(x for x in (c.title, head, c.text) if x)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{path} を読み込めません: {err}") from err


def _stamp(kdir: Path) -> tuple:
    out = []
    for path in [kdir / SUMMARY_FILE, *example_files(kdir)]:
        try:
            st = os.stat(path)
            out.append((path.name, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            out.append((path.name, None))
    return tuple(out)


_cache: dict[str, Semantic] = {}
_lock = threading.Lock()
_lex_memo: dict[tuple[str, str], tuple] = {}


def _lexical(text: str, idx) -> tuple:
    from bot.search.lexical import lexical

    key = (idx.digest, text)
    hit = _lex_memo.get(key)
    if hit is None:
        if len(_lex_memo) > 50_000:
            _lex_memo.clear()
        hit = _lex_memo[key] = lexical(text, idx)
    return hit


def current(idx) -> Semantic:
    """The semantic index for the lexical index ``idx`` and the current example files and learned examples."""
    kdir = config.knowledge_dir()
    own = idx.own  # examples and summaries describe knowledge/guideline.txt, not another ingested text
    key = (idx.digest, str(config.db_path()), _stamp(kdir) if own else (), learned_version() if own else ())
    sem = _cache.get("current")
    if sem is not None and sem.key == key:
        return sem
    with _lock:
        sem = _cache.get("current")
        if sem is None or sem.key != key:
            sem = _build(idx, kdir, own, key)
            _cache["current"] = sem
        return sem


def _build(idx, kdir: Path, own: bool, key: tuple) -> Semantic:
    clauses = [d.clause for d in idx.docs]
    ids = [c.id for c in clauses]
    idset = set(ids)
    summaries, examples, learned = {}, [], []
    if own:
        summaries, errors = parse_summaries(_read(kdir / SUMMARY_FILE), kdir / SUMMARY_FILE, idset)
        examples, ex_errors = load_examples(kdir, idset)
        errors += ex_errors
        if errors:
            raise UserError(errors[0])
        learned = learned_examples(idset)
    passages = [clause_passage(c) for c in clauses]
    summary_texts = [summaries.get(c.id) or passages[i] for i, c in enumerate(clauses)]
    clause_vecs = semantics.embed(passages, kind="passage", cache=True)
    summary_vecs = semantics.embed(summary_texts, kind="passage", cache=True)
    pool = examples + learned
    ex_vecs = _example_vectors([e.text for e in pool])
    labels = rank.label_matrix([e.clauses for e in pool], ids)
    oos = np.array([not e.in_scope for e in pool], dtype=bool)
    parents = np.array([cid in idx.parents for cid in ids], dtype=bool)
    sem = Semantic(ids, parents, clause_vecs, summary_vecs, summaries, pool, ex_vecs, labels, oos,
                   _grams([e.text for e in pool]), rank.Params(), key)
    sem.params = _params(idx, sem, len(examples))
    return sem


GRAMS_TABLE = "ask_grams"


@store.migration
def _grams_table(database) -> None:
    database[GRAMS_TABLE].create({"key": str, "blob": bytes}, pk="key", if_not_exists=True)


_grams_memo: dict[str, GramIndex] = {}


def _grams(texts: list[str]) -> GramIndex:
    """The examples' character-gram index: from memory, the database when these texts were indexed before
    (building it takes ~1 s of a cold start), or built now. A busy database is not waited for (0.2 s at most).
    Knowledge only: the examples are files and 総務課's labels, never questions."""
    key = hashlib.sha256("\0".join(texts).encode()).hexdigest()
    hit = _grams_memo.get(key)
    if hit is not None:
        return hit
    index = None
    try:
        with store.busy_timeout(0.2) as database:
            row = database.execute(f"SELECT blob FROM {GRAMS_TABLE} WHERE key = ?", [key]).fetchone()
        if row:
            index = GramIndex.from_bytes(row[0])
    except (ValueError, KeyError, OSError, sqlite3.Error, zipfile.BadZipFile):  # busy or broken: build it
        index = None
    if index is None:
        index = GramIndex(texts)
        try:
            with store.transaction(busy_s=0.2) as database:
                database[GRAMS_TABLE].delete_where()
                database[GRAMS_TABLE].insert({"key": key, "blob": index.to_bytes()}, pk="key")
        except sqlite3.Error as err:  # busy or read-only database: keep it in memory only
            log.warning("ask: character index not saved (%s)", type(err).__name__)
    _grams_memo.clear()
    _grams_memo[key] = index
    return index


def _example_vectors(texts: list[str]) -> np.ndarray:
    # Examples are questions: embedded like a question ("query"), so question-to-example is symmetric.
    if not texts:
        return np.zeros((0, semantics.DIM), dtype=np.float32)
    total = len(texts)

    def progress(done: int, todo: int) -> None:
        if todo > 64 and (done == todo or done % 256 == 0):
            log.info("例文のベクトルを計算しています（%d/%d）", done, todo)

    return semantics.embed(texts, kind="query", cache=True, progress=progress if total > 64 else None)


def _train_digest(idx, sem: Semantic, n_files: int) -> str:
    h = hashlib.sha256()
    h.update(f"{TRAIN_VERSION}\0{semantics.MODEL}\0{idx.digest}\0".encode())
    h.update(json.dumps(sem.summaries, ensure_ascii=False, sort_keys=True).encode())
    for e in sem.examples[:n_files]:
        h.update(f"{e.batch}\t{e.text}\t{','.join(e.clauses)}\n".encode())
    return h.hexdigest()


_params_memo: dict[str, rank.Params] = {}


def _params(idx, sem: Semantic, n_files: int) -> rank.Params:
    """Trained parameters for this knowledge: from memory, the database, or trained now (and stored)."""
    if n_files == 0:
        return rank.Params()
    digest = _train_digest(idx, sem, n_files)
    if digest in _params_memo:
        return _params_memo[digest]
    stored = store.get_meta("ask_params")
    if stored:
        try:
            obj = json.loads(stored)
            if obj.get("digest") == digest:
                p = _params_memo[digest] = rank.Params.from_json(obj["params"])
                return p
        except (ValueError, KeyError, TypeError):
            pass
    p = seeded_params(digest)
    if p is None:
        p = _train_apart(idx, sem, n_files)
    store.set_meta("ask_params", json.dumps({"digest": digest, "params": p.to_json()}))
    _params_memo[digest] = p
    return p


def seeded_params(digest: str, path: Path = SEED_FILE) -> rank.Params | None:
    """The shipped parameters when they were trained on exactly this knowledge (its digest), else None."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
        return rank.Params.from_json(obj["params"]) if obj.get("digest") == digest else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_seed(idx, sem: Semantic, path: Path = SEED_FILE) -> None:
    """Ship the parameters for this knowledge (trained now unless cached), keyed by their digest."""
    n = sum(1 for e in sem.examples if e.batch != LEARNED_BATCH)
    obj = {"digest": _train_digest(idx, sem, n), "params": _params(idx, sem, n).to_json()}
    path.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")


def training_signals(idx, sem: Semantic, rows: np.ndarray, allowed: np.ndarray) -> rank.Signals:
    """Signals of examples ``rows`` as questions, each using only the pool examples ``allowed`` (rows × N)."""
    texts = [sem.examples[i].text for i in rows]
    qv = sem.ex_vecs[rows]
    return _signals(idx, sem, texts, qv, allowed)


def _signals(idx, sem: Semantic, texts: list[str], qv: np.ndarray, allowed: np.ndarray | None,
             memo: bool = True) -> rank.Signals:
    from bot.search.lexical import lexical

    lex = [_lexical(t, idx) if memo else lexical(t, idx) for t in texts]
    sims = qv @ sem.ex_vecs.T
    if allowed is None:
        allowed = np.ones(sims.shape, dtype=bool)
    knn = rank.example_signals(sims, sem.labels, sem.oos, allowed)
    csims = sem.grams.sims(texts)
    knn.update(rank.char_signals(csims, sem.labels, sem.oos, allowed))
    return rank.Signals(
        lex=np.array([x[0] for x in lex], dtype=np.float32).reshape(len(texts), len(sem.ids)),
        coverage=np.array([x[1] for x in lex], dtype=np.float32),
        specific=np.array([x[2] for x in lex], dtype=bool),
        dense_clause=qv @ sem.clause_vecs.T,
        dense_summary=qv @ sem.summary_vecs.T,
        qv=np.asarray(qv, dtype=np.float32),
        probe=np.zeros((len(texts), 0), dtype=np.float32),
        kern=rank.kernel(sims, csims) if rank.KPROBE else None,
        **knn,
    )


def batch_ids(examples: list[Example]) -> np.ndarray:
    names = {b: i for i, b in enumerate(dict.fromkeys(e.batch for e in examples))}
    return np.array([names[e.batch] for e in examples], dtype=int)


def train(idx, sem: Semantic, n_files: int) -> rank.Params:
    rows = np.arange(n_files)
    batches = batch_ids(sem.examples[:n_files])
    allowed = np.zeros((n_files, len(sem.examples)), dtype=bool)
    allowed[:, :n_files] = batches[:, None] != batches[None, :]  # neighbours from other batches only
    sig = training_signals(idx, sem, rows, allowed)
    gold = sem.labels[:n_files]
    in_scope = ~sem.oos[:n_files]
    return rank.fit(sig, gold, in_scope, batches, sem.parents, pool_rows=rows)


def _train_apart(idx, sem: Semantic, n_files: int) -> rank.Params:
    """Train in a child process (the training signals of every example against every other hold ~500 MB
    for a few seconds): the serving process receives only the parameters and stays small."""
    from bot.apart import in_child

    return rank.Params.from_json(in_child(_trained_json, idx, sem, n_files, what="ask: training"))


def _trained_json(idx, sem: Semantic, n_files: int):
    """The child process's work: the parameters for this knowledge, as JSON-able data."""
    return train(idx, sem, n_files).to_json()


def decide(q: str, idx, sem: Semantic | None = None) -> rank.Decision:
    """The ranking and the not-covered decision for one question (embedded once, never stored)."""
    sem = sem or current(idx)
    qv = semantics.embed([q], kind="query")
    sig = _signals(idx, sem, [q], qv, None, memo=False)  # a question is not kept
    return rank.decide_arrays(sig, sem.params, sem.parents, sem.oos, sem.labels)[0]
