"""Vectors of knowledge texts shipped with the bot (seed_vectors.npz), keyed like the database cache
(model build + kind + text): a fresh database then loads them instead of embedding every clause and
labelled example first (≈ 25 ms each). A text not in the seed (edited, new) is simply computed.
Only knowledge is in the seed — never a draft or a question. Made by ``tools/seed_vectors.py``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

SEED_FILE = Path(__file__).with_name("seed_vectors.npz")
_seed: dict[str, np.ndarray] | None = None
_lock = threading.Lock()


def _load() -> dict[str, np.ndarray]:
    global _seed
    with _lock:
        if _seed is None:
            try:
                with np.load(SEED_FILE) as data:
                    _seed = dict(zip(data["keys"].tolist(), data["vectors"].astype(np.float32)))
            except (OSError, KeyError, ValueError):
                _seed = {}
        return _seed


def lookup(keys: list[str]) -> dict[str, np.ndarray]:
    """The seed's vectors for those of ``keys`` it holds."""
    seed = _load()
    return {k: seed[k] for k in keys if k in seed}


def write(items: dict[str, np.ndarray], path: Path = SEED_FILE) -> None:
    """Save ``items`` (content key → vector) as the seed (float16: half the size, well within the
    model's own 4-bit precision)."""
    global _seed
    keys = np.array(list(items), dtype="U64")
    vectors = np.stack(list(items.values())).astype(np.float16)
    np.savez_compressed(path, keys=keys, vectors=vectors)
    with _lock:
        _seed = None
