"""Vectors of knowledge texts (clauses, labelled examples) kept in the database by content hash.

Only ``embed(..., cache=True)`` writes here, and only knowledge is embedded that way: no draft or
question vector is ever stored. Rows are keyed by ``content_key`` (model build + kind + text), so a
new model build or an edited example simply misses and is recomputed.
"""

from __future__ import annotations

import threading

import numpy as np
import sqlite_utils

from bot import store
from bot.semantics.spec import DIM, MODEL

TABLE = "vectors"
_memory: dict[str, np.ndarray] = {}
_memory_lock = threading.Lock()


@store.migration
def _vectors(database: sqlite_utils.Database) -> None:
    database[TABLE].create({"key": str, "model": str, "vector": bytes}, pk="key", if_not_exists=True)


def get_many(keys: list[str]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    with _memory_lock:
        for k in keys:
            if k in _memory:
                found[k] = _memory[k]
    missing = [k for k in dict.fromkeys(keys) if k not in found]
    if missing:
        database = store.db()
        for start in range(0, len(missing), 500):
            part = missing[start:start + 500]
            marks = ",".join("?" * len(part))
            for key, blob in database.execute(f"SELECT key, vector FROM {TABLE} WHERE key IN ({marks})", part):
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape == (DIM,):
                    found[key] = vec
        with _memory_lock:
            for k in missing:
                if k in found:
                    _memory[k] = found[k]
    return found


def put_many(vectors: dict[str, np.ndarray]) -> None:
    if not vectors:
        return
    rows = [{"key": k, "model": MODEL, "vector": np.asarray(v, dtype=np.float32).tobytes()} for k, v in vectors.items()]
    with store.transaction() as database:
        database[TABLE].upsert_all(rows, pk="key")
    with _memory_lock:
        _memory.update({k: np.asarray(v, dtype=np.float32) for k, v in vectors.items()})


def clear_memory() -> None:
    """Forget the in-process copies (tests switch databases)."""
    with _memory_lock:
        _memory.clear()
