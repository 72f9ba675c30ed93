"""Shared fixtures. Every test gets its own database; sockets other than loopback are refused
(pytest-socket, see addopts in pyproject.toml)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from bot import store

# Vectors of knowledge texts (clauses, summaries, examples) kept between test runs, keyed like the bot's
# own cache (model build + kind + text), so a run embeds only what changed. Never questions or drafts:
# only what the semantic cache holds in memory at the end of the session (knowledge) is written.
VECTOR_CACHE = Path(__file__).resolve().parents[1] / ".pytest_cache" / "vectors.sqlite"


def _load_vectors() -> set[str]:
    from bot.semantics import DIM
    from bot.semantics import cache as vcache

    if not VECTOR_CACHE.exists():
        return set()
    try:
        with sqlite3.connect(VECTOR_CACHE, timeout=60) as conn:
            rows = conn.execute("select key, vector from vectors").fetchall()
    except sqlite3.Error:
        return set()
    for key, blob in rows:
        vec = np.frombuffer(blob, dtype=np.float32)
        if vec.shape == (DIM,):
            vcache._memory[key] = vec
    return {k for k, _ in rows}


def _save_vectors(known: set[str]) -> None:
    from bot.semantics import cache as vcache

    new = {k: v for k, v in vcache._memory.items() if k not in known}
    if not new:
        return
    VECTOR_CACHE.parent.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers save at the same time: wait for the other's write; the cache only saves time
    try:
        with sqlite3.connect(VECTOR_CACHE, timeout=60) as conn:
            conn.execute("create table if not exists vectors (key text primary key, vector blob)")
            conn.executemany("insert or replace into vectors values (?, ?)",
                             [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in new.items()])
    except sqlite3.OperationalError:
        pass


@pytest.fixture(autouse=True)
def bot_db(tmp_path, monkeypatch):
    """A fresh BOT_DB per test; the path is returned for tests that look inside."""
    path = tmp_path / "bot.db"
    monkeypatch.setenv("BOT_DB", str(path))
    # the delivery worker retries quickly in tests (production: 2 s doubling up to 30 s)
    monkeypatch.setenv("BOT_DELIVERY_BACKOFF_S", "0.1")
    monkeypatch.setenv("BOT_DELIVERY_MAX_BACKOFF_S", "0.5")
    monkeypatch.setenv("BOT_DELIVERY_POLL_S", "0.1")
    store.close_all()
    yield path
    store.close_all()


@pytest.fixture(scope="session", autouse=True)
def trained_knowledge(tmp_path_factory):
    """Build Ask's index (vectors of knowledge texts, trained parameters, character index) and train Check's
    learned layer once per run, in one session database, as serve does at start: every test's fresh
    database then finds them in the process's memory, and `python -m bot` children get a copy of that
    database's trained rows (tests/learned_cache.py), so that no test waits for training inside a Slack
    timeout."""
    from bot.screening import prepare
    from bot.search.index import current_index
    from bot.search.semantic import current
    from tests import learned_cache

    known = _load_vectors()
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("trained") / "bot.db"
        mp.setenv("BOT_DB", str(path))
        store.close_all()
        try:
            current(current_index())
            prepare()
        finally:
            store.close_all()
        learned_cache.SOURCE = path
    _save_vectors(known)
    yield
    _save_vectors(known)
