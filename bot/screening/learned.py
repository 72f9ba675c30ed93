"""The learned layer of Check: a sentence scorer trained from the labelled examples in knowledge.

Two heads, each a multinomial logistic regression (numpy; the character head's sparse products by scipy)
over the categories plus "clean":
- characters: 1–3-grams of the normalized sentence, TF-IDF weighted (bot.chargrams), sparse;
- meaning: the sentence's vector from the semantic layer (bot.semantics, multilingual-e5-small): half a
  linear model on the standardized vector, half a vote of the nearest labelled sentences.
A sentence's class probabilities are ``weight × characters + (1 − weight) × meaning`` (``dense_weight`` in
learned.toml is 1 − weight). It is reported when its probability of not being clean is at least
``threshold`` and names the best-scoring category; both values are chosen by leave-one-batch-out
cross-validation (``bench/lobo_check.py``). Its findings are unioned with the detectors' and rules'
(``check`` lets those win where they found something).

Embedding costs ~25 ms per sentence, so only sentences that could still reach the threshold are embedded
(the character head's score bounds the mix: w × s + (1 − w) < threshold means the sentence cannot pass).

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
from pathlib import Path

import numpy as np
import sqlite_utils
from scipy import sparse

from bot import store
from bot.chargrams import Vectorizer, matmul
from bot.screening import examples as exmod
from bot.screening.normalize import DraftText

log = logging.getLogger(__name__)

VERSION = "tfidf-2+e5-2"
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
NEIGHBOURS = 10  # labelled sentences that vote in the meaning head
SHARPNESS = 0.02  # their votes weigh exp(cosine / SHARPNESS): the nearest count most
MAX_EMBEDDED = 24  # sentences of one draft given to the meaning head (highest character scores first): ≈ 0.6 s
TABLE = "screening_models"


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
    dw: np.ndarray | None = None  # DIM × C: the meaning head's linear part (None: characters only)
    db: np.ndarray | None = None
    mu: np.ndarray | None = None  # DIM: the training vectors' mean and spread (the head reads standardized vectors)
    sd: np.ndarray | None = None
    nv: np.ndarray | None = None  # units × DIM: the training sentences' vectors (nearest examples)
    ny: np.ndarray | None = None  # units: their class index

    def proba(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.classes)))
        z = matmul(self.vectorizer.transform(texts), self.w) + self.b
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def proba_dense(self, vectors: np.ndarray) -> np.ndarray:
        """The meaning head: half a linear model on the standardized vector, half a vote of the nearest
        labelled sentences (their cosine similarity, sharpened)."""
        v = vectors.astype(np.float32)
        linear = _softmax(((v - self.mu) / self.sd).astype(np.float64) @ self.dw + self.db)
        sims = v @ self.nv.T
        k = min(NEIGHBOURS, sims.shape[1])
        idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(sims, idx, axis=1).astype(np.float64)
        wts = np.exp((top - top.max(axis=1, keepdims=True)) / SHARPNESS)
        vote = np.zeros_like(linear)
        np.add.at(vote, (np.repeat(np.arange(len(v)), k), self.ny[idx].ravel()), wts.ravel())
        vote /= vote.sum(axis=1, keepdims=True)
        return 0.5 * linear + 0.5 * vote

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        vocab = "\n".join(sorted(self.vectorizer.vocab, key=self.vectorizer.vocab.get))
        extra = {} if self.dw is None else {"dw": self.dw.astype(np.float32), "db": self.db, "mu": self.mu,
                                            "sd": self.sd, "nv": self.nv.astype(np.float16), "ny": self.ny}
        np.savez_compressed(buf, w=self.w.astype(np.float32), b=self.b, idf=self.vectorizer.idf,
                            vocab=np.array([vocab]), classes=np.array(["\n".join(self.classes)]), **extra)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, key: str, blob: bytes) -> Model:
        z = np.load(io.BytesIO(blob), allow_pickle=False)
        words = str(z["vocab"][0]).split("\n") if str(z["vocab"][0]) else []
        classes = str(z["classes"][0]).split("\n")
        m = cls(key, classes, Vectorizer({g: i for i, g in enumerate(words)}, z["idf"]), z["w"].astype(np.float64), z["b"])
        if {"dw", "db", "mu", "sd", "nv", "ny"} <= set(z.files):
            m.dw, m.db, m.mu, m.sd = z["dw"].astype(np.float64), z["db"], z["mu"], z["sd"]
            m.nv, m.ny = z["nv"].astype(np.float32), z["ny"]
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


def _fit_dense(x: np.ndarray, onehot: np.ndarray, sw: np.ndarray, epochs: int = 300, l2: float = 1e-3,
               lr: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """The meaning head: multinomial logistic regression on sentence vectors (full-batch Adam)."""
    n, d = x.shape
    c = onehot.shape[1]
    x = x.astype(np.float32)
    w = np.zeros((d, c), dtype=np.float32)
    b = np.zeros(c, dtype=np.float32)
    adam = _Adam([w, b], lr)
    swn = (sw / n).astype(np.float32)[:, None]
    target = onehot.astype(np.float32)
    for _ in range(epochs):
        g = (_softmax(x @ w + b) - target) * swn  # n × c
        adam.step([x.T @ g + l2 * w, g.sum(axis=0)])
    return w.astype(np.float64), b.astype(np.float64)


def train(exs: list[exmod.Example], key: str = "", epochs: int = 120, l2: float = 1e-4, lr: float = 0.5,
          dense: bool = True) -> Model:
    """Fit the model on examples (full-batch Adam on the mean cross-entropy + l2): the character head and,
    with ``dense``, the meaning head."""
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
        m.mu, m.sd = vecs.mean(axis=0), vecs.std(axis=0) + 1e-6
        m.dw, m.db = _fit_dense((vecs - m.mu) / m.sd, onehot, sw)
        m.nv, m.ny = vecs, y
    return m


# ---------------------------------------------------------------- the cache (memory, then database)

_lock = threading.Lock()
_memory: dict[str, Model] = {}


def model(folder: Path, categories: set[str], examples_key: str = "") -> Model | None:
    """The model for the examples in ``folder`` (knowledge/screening): memory, database, else trained now."""
    examples_key = examples_key or exmod.content_hash(folder)
    if not examples_key:
        return None
    key = hashlib.sha256(f"{VERSION}\0{examples_key}".encode()).hexdigest()
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
        if m is None:
            m = train(exs, key)
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

    With ``dense_weight`` > 0 the meaning head is mixed in for the sentences whose mixed score could reach
    ``floor`` (the lowest threshold in use; at most MAX_EMBEDDED of them, the most suspect first); the
    others keep (1 − dense_weight) × the character score, a lower bound. ``embed(texts)`` gives their vectors (default: the semantic
    layer, in memory only)."""
    sents = sentences(norm)
    if not sents:
        return []
    p = m.proba([s[2] for s in sents])
    known = m.known
    judged = []  # (index, label from the examples or None)
    for i, (_s, _e, text) in enumerate(sents):
        label = known.get(_key(text))
        if label == CLEAN or _letters(text) < MIN_LETTERS:
            continue  # labelled clean, or too little text to judge (a number, a name alone: the detectors' work)
        judged.append((i, None if label in DETECTOR_ONLY else label))
    dw = dense_weight if m.dw is not None else 0.0
    if dw > 0:
        p = (1 - dw) * p
        could = [i for i, label in judged if not label and p[i, 0] <= 1 - floor]
        could = sorted(sorted(could, key=lambda i: p[i, 0])[:MAX_EMBEDDED])
        if could:
            if embed is None:
                from bot import semantics

                def embed(texts):
                    return semantics.embed(texts, kind="query", cache=False)
            p[could] += dw * m.proba_dense(embed([sents[i][2] for i in could]))
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
