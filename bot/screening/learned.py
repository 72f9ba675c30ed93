"""The learned layer of Check: a sentence scorer trained from the labelled examples in knowledge.

Two heads over the categories plus "clean":
- characters: multinomial logistic regression on the sentence's 1–3-grams, TF-IDF weighted
  (bot.chargrams; numpy, the sparse products by scipy);
- kernel: kernel ridge regression to the labels over every labelled sentence, with the kernel
  ``0.5 × exp((cos − 1) / KERNEL_T) + 0.5 × character cosine`` (cos: the sentences' vectors from the semantic
  layer, bot.semantics, multilingual-e5-small). It sees a paraphrase the characters miss and keeps the
  surface phrasing the vectors blur (leave-one-batch-out, sentence level: at 2 % of clean sentences
  flagged it finds 0.798 of the violating ones, against 0.688 for the earlier linear and nearest-vote head).
A sentence's class probabilities are ``(1 − w) × characters + w × kernel`` (w: ``dense_weight`` in
learned.toml). It is reported when its probability of not being clean is at least ``threshold`` and names
the best-scoring category; both values are chosen by leave-one-batch-out cross-validation
(``bench/lobo_check.py``). Its findings are unioned with the detectors' and rules' (``check`` lets those
win where they found something).

Embedding costs ~28 ms per sentence, so a sentence is embedded only when the character head finds it at
least GATE suspect and its mix could still reach the threshold (w + (1 − w) × s ≥ threshold); the others
count as clean (bench_check.py: a 280-character draft embeds ~3 sentences at GATE 0.3, 8 at 0.1).

Training happens when the knowledge is indexed, never per request: the weights are kept in memory and in
the database keyed by the examples' content hash (knowledge only: no draft and no draft vector is stored;
a draft's sentences are embedded in memory, ``cache=False``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import sqlite3
import threading
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import sqlite_utils
from scipy import sparse

from bot import store
from bot.chargrams import Csr, Vectorizer, matmul
from bot.screening import examples as exmod
from bot.screening.normalize import DraftText

log = logging.getLogger(__name__)

VERSION = "tfidf-2+kern-1"
CLEAN = ""
# Categories whose evidence is a detector (numbers, addresses, names, links): learned from, never reported
# by the learned layer (the detectors know the town's own contacts; a classifier does not).
DETECTOR_ONLY = frozenset({"security", "phone", "email", "address", "my_number", "person_name", "link_third_party", "link_unsuitable"})
# Detector hits that leave the rest of their sentence to the learned layer for a stronger finding (a name in
# a campaign post); the others (numbers, addresses, links) keep their sentence: their finding is the precise one.
SHARES_SENTENCE = frozenset({"person_name"})
THRESHOLD = 0.5  # replaced by the LOBO choice kept in knowledge (learned.toml) when present
MIN_CHARS = 4
MIN_LETTERS = 6  # letters (not digits or symbols) a sentence needs before the learned layer judges it
KERNEL_T = 0.1  # the kernel's sentence-vector part: exp((cos − 1) / KERNEL_T)
KERNEL_LAMBDA = 0.1  # its ridge
KERNEL_PART = 16000  # training sentences per exact kernel solve (memory 4 × KERNEL_PART² bytes; beyond it, parts)
GATE = 0.3  # the character head's suspicion a sentence needs before it is embedded for the kernel head
MAX_EMBEDDED = 16  # sentences of one draft given to the kernel head (highest character scores first): ≈ 0.45 s
TABLE = "screening_models"
SEED_FILE = Path(__file__).with_name("seed_weights.bin")  # weights for the shipped examples (tools/seed_vectors.py)


@store.migration
def _models(database: sqlite_utils.Database) -> None:
    database[TABLE].create({"key": str, "blob": bytes}, pk="key", if_not_exists=True)


# ---------------------------------------------------------------- the model

@dataclass
class Model:
    key: str
    classes: list[str]  # classes[0] == CLEAN
    vectorizer: Vectorizer
    w: np.ndarray  # F × C
    b: np.ndarray  # C
    known: dict[str, str] = field(default_factory=dict)  # labelled example texts → their label
    ka: np.ndarray | None = None  # units × C: the kernel head's weights (None: characters only)
    nv: np.ndarray | None = None  # units × DIM: the training sentences' vectors
    kx: sparse.csr_matrix | None = None  # units × F: their character grams (TF-IDF, unit length)

    def proba(self, texts: list[str], x: Csr | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.classes)))
        z = matmul(self.vectorizer.transform(texts) if x is None else x, self.w) + self.b
        return _softmax(z)

    def proba_kernel(self, vectors: np.ndarray, x: sparse.csr_matrix) -> np.ndarray:
        """The kernel head: each training sentence's weights, weighed by its kernel to the sentence (scores
        clipped at 0 and normalized)."""
        s = np.clip(_kernel(vectors, x, self.nv, self.kx, self.kxt).astype(np.float64) @ self.ka, 0, None)
        return s / np.maximum(s.sum(axis=1, keepdims=True), 1e-9)

    @cached_property
    def kxt(self) -> sparse.csc_matrix:
        """kx transposed, made once per model (it took ~15 ms on every draft)."""
        return self.kx.T.tocsc()

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        vocab = "\n".join(sorted(self.vectorizer.vocab, key=self.vectorizer.vocab.get))
        extra = {} if self.ka is None else {"ka": self.ka.astype(np.float32), "nv": self.nv.astype(np.float16),
                                            "kx_data": self.kx.data.astype(np.float32), "kx_indices": self.kx.indices,
                                            "kx_indptr": self.kx.indptr}
        np.savez_compressed(buf, w=self.w.astype(np.float32), b=self.b, idf=self.vectorizer.idf,
                            vocab=np.array([vocab]), classes=np.array(["\n".join(self.classes)]), **extra)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, key: str, blob: bytes) -> Model:
        z = np.load(io.BytesIO(blob), allow_pickle=False)
        words = str(z["vocab"][0]).split("\n") if str(z["vocab"][0]) else []
        classes = str(z["classes"][0]).split("\n")
        m = cls(key, classes, Vectorizer({g: i for i, g in enumerate(words)}, z["idf"]), z["w"].astype(np.float64), z["b"])
        if {"ka", "nv", "kx_data", "kx_indices", "kx_indptr"} <= set(z.files):
            m.ka, m.nv = z["ka"].astype(np.float64), z["nv"].astype(np.float32)
            m.kx = sparse.csr_matrix((z["kx_data"], z["kx_indices"], z["kx_indptr"]),
                                     shape=(len(z["kx_indptr"]) - 1, len(words)))
        return m


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _masked(text: str) -> str:
    """The normalized text with URLs and e-mail addresses blanked (the detectors judge those)."""
    from bot.screening.detectors import masked

    return masked(DraftText(text))


def units(exs: list[exmod.Example]) -> tuple[list[str], list[str]]:
    """Training texts (normalized) and labels: a marked passage or a whole one-label example is one unit,
    each sentence of a clean text (or outside the marks) a clean unit."""
    texts: list[str] = []
    labels: list[str] = []
    for ex in exs:
        if ex.category and ex.span is None:
            texts.append(_masked(ex.text))
            labels.append(ex.category)
            continue
        if ex.span:
            a, b = ex.span
            texts.append(_masked(ex.text[a:b]))
            labels.append(ex.category)
            outside = ex.text[:a] + "\n" + ex.text[b:]
        else:
            outside = ex.text
        for s in sentences(_masked(outside)):
            texts.append(s[2])
            labels.append(CLEAN)
    return texts, labels


def sentences(norm: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence of a normalized text with at least MIN_CHARS characters."""
    doc = DraftText("")
    doc.norm = norm
    starts = [0] + [i + 1 for i, c in enumerate(norm) if c in "。!?\n" and i + 1 < len(norm)]
    out = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(norm)
        seg = norm[s:e]
        if len("".join(seg.split())) >= MIN_CHARS:
            out.append((s, e, seg))
    return out


def unit_vectors(texts: list[str]) -> np.ndarray:
    """Vectors of training sentences (knowledge: cached by content hash, shipped in the seed)."""
    from bot import semantics

    def progress(done: int, todo: int) -> None:
        if done == todo or done % 512 == 0:
            log.info("確認用の例文のベクトルを計算しています（%d/%d）", done, todo)

    return semantics.embed(texts, kind="query", cache=True, progress=progress if len(texts) > 64 else None)


class _Adam:
    """Full-batch Adam over a few arrays, updated in place (both heads are fitted with it)."""

    BETA1, BETA2, EPS = 0.9, 0.999, 1e-8

    def __init__(self, params: list[np.ndarray], lr: float):
        self.params, self.lr, self.t = params, lr, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        corr = math.sqrt(1 - self.BETA2 ** self.t) / (1 - self.BETA1 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.BETA1
            m += (1 - self.BETA1) * g
            v *= self.BETA2
            v += (1 - self.BETA2) * g * g
            p -= self.lr * corr * m / (np.sqrt(v) + self.EPS)


def _kernel(va: np.ndarray, xa: sparse.csr_matrix, vb: np.ndarray, xb: sparse.csr_matrix,
            xbt: sparse.csc_matrix | None = None) -> np.ndarray:
    """The kernel head's kernel between two sets of sentences (vectors, character grams): float32.
    ``xbt``: ``xb.T.tocsc()`` when the caller keeps it."""
    k = va.astype(np.float32, copy=False) @ vb.astype(np.float32, copy=False).T
    k -= 1
    k /= KERNEL_T
    np.exp(k, out=k)
    if xbt is None:
        xbt = xb.T.tocsc()
    for i in range(0, k.shape[0], 512):  # in row blocks: the sparse product of many sentences fills in
        k[i:i + 512] += (xa[i:i + 512] @ xbt).toarray()
    k *= 0.5
    return k


def parts(n: int, size: int = KERNEL_PART, seed: int = 0) -> list[np.ndarray]:
    """The training sentences split at random into ceil(n / size) parts of about equal size."""
    k = max(1, math.ceil(n / size))
    perm = np.random.default_rng(seed).permutation(n)
    return [np.sort(perm[q::k]) for q in range(k)]


def _kernel_ridge(vectors: np.ndarray, x: sparse.csr_matrix, onehot: np.ndarray,
                  lam: float = KERNEL_LAMBDA, size: int = KERNEL_PART) -> tuple[np.ndarray, np.ndarray]:
    """Kernel ridge regression to the labels: the exact solve (K + lam I)⁻¹ Y in float32 by Cholesky (the
    kernel is positive definite), ~540 MB for 11,600 sentences while it lasts (model() trains in a child
    process). Beyond ``size`` sentences, divide and conquer: one exact solve per part (parts()), the head
    averaging the parts' predictions — a cost in accuracy (sentence-level LOBO at 2 % of clean sentences
    flagged: exact 0.798, 2 parts 0.763, 3 parts 0.731). Returns the sentences in part order and their
    weights, already divided by the number of parts (the head sums them)."""
    from scipy.linalg import cho_factor, cho_solve

    order, weights = [], []
    split = parts(len(vectors), size)
    for idx in split:
        k = _kernel(vectors[idx], x[idx], vectors[idx], x[idx])
        k[np.diag_indices_from(k)] += lam
        # k is symmetric: its transpose is the Fortran-ordered array LAPACK factors in place (no copy)
        factor = cho_factor(k.T, lower=False, overwrite_a=True, check_finite=False)
        weights.append(cho_solve(factor, onehot[idx].astype(np.float32), check_finite=False) / len(split))
        order.append(idx)
    return np.concatenate(order), np.vstack(weights).astype(np.float64)


def train(exs: list[exmod.Example], key: str = "", epochs: int = 120, l2: float = 1e-4, lr: float = 0.5,
          dense: bool = True) -> Model:
    """Fit the model on examples: the character head (full-batch Adam on the mean cross-entropy + l2) and,
    with ``dense``, the kernel head."""
    texts, labels = units(exs)
    classes = [CLEAN] + sorted({lab for lab in labels if lab})
    cidx = {c: i for i, c in enumerate(classes)}
    y = np.array([cidx[lab] for lab in labels])
    vec = Vectorizer.fit(texts)
    x = vec.transform(texts)
    n, f, c = x.n, len(vec.vocab), len(classes)
    onehot = np.zeros((n, c))
    onehot[np.arange(n), y] = 1
    # balance classes a little: rare categories weigh more (sqrt of inverse frequency)
    freq = onehot.sum(axis=0)
    sw = (1 / np.sqrt(np.maximum(freq, 1)))[y]
    sw = sw / sw.mean()
    xs = sparse.csr_matrix((x.data.astype(np.float64), x.indices, x.indptr), shape=(n, f))
    xt = xs.T.tocsr()
    w = np.zeros((f, c))
    b = np.zeros(c)
    adam = _Adam([w, b], lr)
    swn = (sw / n)[:, None]
    for _ in range(epochs):
        z = xs @ w
        z += b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * swn  # n × c
        gw = xt @ g
        gw += l2 * w
        adam.step([gw, g.sum(axis=0)])
    m = Model(key, classes, vec, w, b)
    if dense:
        vecs = unit_vectors(texts).astype(np.float32)
        grams = xs.astype(np.float32)
        order, m.ka = _kernel_ridge(vecs, grams, onehot)
        m.nv, m.kx = vecs[order], grams[order]
    return m


# ---------------------------------------------------------------- the cache (memory, then database)

_lock = threading.Lock()
_memory: dict[str, Model] = {}


def model(folder: Path, categories: set[str], examples_key: str = "") -> Model | None:
    """The model for the examples in ``folder`` (knowledge/screening): memory, database, else trained now."""
    examples_key = examples_key or exmod.content_hash(folder)
    if not examples_key:
        return None
    key = model_key(examples_key)
    hit = _memory.get(key)
    if hit is not None:
        return hit
    with _lock:
        hit = _memory.get(key)
        if hit is not None:
            return hit
        exs = exmod.load(folder, categories)
        m = None
        try:
            row = store.db().execute(f"SELECT blob FROM {TABLE} WHERE key = ?", [key]).fetchone()
            if row:
                m = Model.from_bytes(key, row[0])
        except (ValueError, KeyError, OSError, sqlite3.Error, zipfile.BadZipFile):  # a broken cache row is rebuilt
            log.warning("learned layer: cached weights unreadable, training again")
            m = None
        if m is None and (blob := seeded(key)) is not None:  # the shipped examples: trained when the bot was built
            m = Model.from_bytes(key, blob)
        if m is None:
            m = _train_apart(key, exs)
            try:
                with store.transaction() as database:
                    database[TABLE].upsert({"key": key, "blob": m.to_bytes()}, pk="key")
            except sqlite3.Error as err:  # read-only database: keep it in memory only
                log.warning("learned layer: weights not saved (%s)", type(err).__name__)
        # a text 総務課 labelled in the examples is judged by its label (a false alarm is silenced by adding it
        # as a clean example; the model alone may underfit it)
        texts, labels = units(exs)
        m.known = {_key(t): lab for t, lab in zip(texts, labels)}
        _memory.clear()
        _memory[key] = m
        return m


def seeded(key: str, path: Path = SEED_FILE) -> bytes | None:
    """The shipped weights when they were trained on exactly these examples (their key), else None."""
    try:
        head, _, blob = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    return blob if head.decode("ascii", "replace") == key and blob else None


def write_seed(m: Model, path: Path = SEED_FILE) -> None:
    """Ship ``m``'s weights: its key, a newline, then the same bytes the database cache holds."""
    path.write_bytes(m.key.encode("ascii") + b"\n" + m.to_bytes())


def model_key(examples_key: str) -> str:
    return hashlib.sha256(f"{VERSION}\0{examples_key}".encode()).hexdigest()


def _train_apart(key: str, exs: list[exmod.Example]) -> Model:
    """Train in a child process (the kernel solve holds the kernel of every labelled sentence, ~540 MB,
    for a few seconds): the serving process receives only the weights and stays small."""
    from bot.apart import in_child

    return Model.from_bytes(key, in_child(_trained_blob, exs, key, what="learned layer: training"))


def _trained_blob(exs: list[exmod.Example], key: str) -> bytes:
    """The child process's work: the model for the examples, as bytes."""
    return train(exs, key).to_bytes()


def _key(text: str) -> str:
    return "".join(text.split()).rstrip("。!?")


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def clear_memory() -> None:
    _memory.clear()


# ---------------------------------------------------------------- findings

def scored(m: Model, norm: str, dense_weight: float = 0.0, floor: float = 0.0,
           embed=None) -> list[tuple[int, int, str, float]]:
    """(start, end, best category, probability of not clean) for each sentence of a normalized draft
    (pass it with URLs and e-mail addresses blanked: ``detectors.masked``).

    With ``dense_weight`` > 0 the kernel head is mixed in for the sentences the character head finds at
    least GATE suspect and whose mixed score could reach ``floor`` (the lowest threshold in use; at most
    MAX_EMBEDDED of them, the most suspect first); the others keep (1 − dense_weight) × the character
    score. ``embed(texts)`` gives their vectors (default: the semantic layer, in memory only)."""
    sents = sentences(norm)
    if not sents:
        return []
    texts = [s[2] for s in sents]
    x = m.vectorizer.transform(texts)
    p = m.proba(texts, x)
    known = m.known
    judged = []  # (index, label from the examples or None)
    for i, (_s, _e, text) in enumerate(sents):
        label = known.get(_key(text))
        if label == CLEAN or _letters(text) < MIN_LETTERS:
            continue  # labelled clean, or too little text to judge (a number, a name alone: the detectors' work)
        judged.append((i, None if label in DETECTOR_ONLY else label))
    dw = dense_weight if m.ka is not None else 0.0
    if dw > 0:
        could = [i for i, label in judged if not label and p[i, 0] <= 1 - GATE and (1 - dw) * p[i, 0] <= 1 - floor]
        could = sorted(sorted(could, key=lambda i: p[i, 0])[:MAX_EMBEDDED])
        p = (1 - dw) * p
        if could:
            if embed is None:
                from bot import semantics

                def embed(texts):
                    return semantics.embed(texts, kind="query", cache=False)
            xs = sparse.csr_matrix((x.data.astype(np.float32), x.indices, x.indptr), shape=(x.n, len(m.vectorizer.vocab)))
            p[could] += dw * m.proba_kernel(embed([texts[i] for i in could]), xs[could])
        rest = np.ones(len(sents), dtype=bool)
        rest[could] = False
        p[rest, 0] += dw  # not consulted: counted as clean
    cats = np.array(m.classes)
    allowed = np.array([c != CLEAN and c not in DETECTOR_ONLY for c in m.classes])
    best = np.where(allowed, p, -1).argmax(axis=1)
    out = []
    for i, label in judged:
        s, e, _text = sents[i]
        if label:
            out.append((s, e, label, 1.0))
        else:
            out.append((s, e, str(cats[best[i]]), float(1 - p[i, 0])))
    return out
