"""Character n-grams: the TF-IDF features Check's learned layer reads, and an index of texts by them.

Japanese has no spaces, so characters 1–3-grams stand in for words: they catch a surface phrasing
(「裏垢」「鍵垢」, a typo, half-width kana once folded) that a sentence vector can blur. ``GramIndex`` keeps a set
of texts (Ask's labelled questions) and gives the cosine of new texts to each of them.
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass

import numpy as np


def grams(s: str) -> list[str]:
    s = " ".join(s.split())
    out = list(s)
    out += [s[i:i + 2] for i in range(len(s) - 1)]
    out += [s[i:i + 3] for i in range(len(s) - 2)]
    return out


@dataclass
class Csr:
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n: int


class Vectorizer:
    """Sublinear TF × IDF over 1–3-grams, rows L2-normalized."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray):
        self.vocab = vocab
        self.idf = idf

    @classmethod
    def fit(cls, texts: list[str], min_df: int = 2) -> Vectorizer:
        df: dict[str, int] = {}
        for t in texts:
            for g in set(grams(t)):
                df[g] = df.get(g, 0) + 1
        kept = sorted(g for g, c in df.items() if c >= min_df)
        vocab = {g: i for i, g in enumerate(kept)}
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[g])) + 1 for g in kept], dtype=np.float32)
        return cls(vocab, idf)

    def transform(self, texts: list[str]) -> Csr:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        vocab = self.vocab
        for t in texts:
            counts: dict[int, int] = {}
            for g in grams(t):
                j = vocab.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            w = (1 + np.log(tf)) * self.idf[idx] if len(idx) else tf
            norm = float(np.sqrt((w * w).sum())) or 1.0
            indices.extend(idx.tolist())
            data.extend((w / norm).tolist())
            indptr.append(len(indices))
        return Csr(np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int64),
                   np.asarray(data, dtype=np.float32), len(texts))


def matmul(x: Csr, w: np.ndarray) -> np.ndarray:
    """x @ w for a CSR x (n × F) and a dense w (F × C)."""
    contrib = x.data[:, None].astype(np.float64) * w[x.indices]
    cs = np.vstack([np.zeros((1, w.shape[1])), np.cumsum(contrib, axis=0)])
    return cs[x.indptr[1:]] - cs[x.indptr[:-1]]


_KATA_TO_HIRA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}


def fold(text: str) -> str:
    """Width, case and kana folded (ｳﾗｱｶ = ウラアカ = うらあか, ＤＭ = dm), so spelling variants share their grams."""
    return unicodedata.normalize("NFKC", text).lower().translate(_KATA_TO_HIRA)


class GramIndex:
    """Texts indexed by their TF-IDF 1–3-grams; ``sims`` gives cosines of new texts to each of them.

    The vocabulary and IDF come from ``fit_rows`` of the texts (all by default): cross-validation fits them on
    the training rows only, so a held-out text's own grams count no more than a new question's would."""

    def __init__(self, texts: list[str], fit_rows=None):
        folded = [fold(t) for t in texts]
        base = folded if fit_rows is None else [folded[i] for i in fit_rows]
        self.vectorizer = Vectorizer.fit(base)
        x = self.vectorizer.transform(folded)
        self.n = x.n
        rows = np.repeat(np.arange(x.n, dtype=np.int32), np.diff(x.indptr))
        order = np.argsort(x.indices, kind="stable")
        self._docs = rows[order]
        self._weights = x.data[order]
        self._starts = np.searchsorted(x.indices[order], np.arange(len(self.vectorizer.vocab) + 1))

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        vocab = "\n".join(sorted(self.vectorizer.vocab, key=self.vectorizer.vocab.get))
        np.savez(buf, vocab=np.array([vocab]), idf=self.vectorizer.idf, docs=self._docs, weights=self._weights,
                 starts=self._starts, n=np.array([self.n]))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> GramIndex:
        z = np.load(io.BytesIO(blob), allow_pickle=False)
        words = str(z["vocab"][0]).split("\n") if str(z["vocab"][0]) else []
        out = cls.__new__(cls)
        out.vectorizer = Vectorizer({g: i for i, g in enumerate(words)}, z["idf"])
        out._docs, out._weights, out._starts, out.n = z["docs"], z["weights"], z["starts"], int(z["n"][0])
        return out

    def sims(self, texts: list[str]) -> np.ndarray:
        """(len(texts) × n) cosine similarities, float32."""
        q = self.vectorizer.transform([fold(t) for t in texts])
        out = np.zeros((q.n, self.n), dtype=np.float32)
        for i in range(q.n):
            idx = q.indices[q.indptr[i]:q.indptr[i + 1]]
            if not len(idx) or not self.n:
                continue
            starts = self._starts[idx]
            lens = self._starts[idx + 1] - starts
            total = int(lens.sum())
            if not total:
                continue
            offsets = np.cumsum(lens) - lens
            pos = np.repeat(starts - offsets, lens) + np.arange(total)
            weights = self._weights[pos] * np.repeat(q.data[q.indptr[i]:q.indptr[i + 1]], lens)
            out[i] = np.bincount(self._docs[pos], weights=weights, minlength=self.n)
        return out
