"""Shared fixtures. Every test gets its own database; sockets other than loopback are refused
(pytest-socket, see addopts in pyproject.toml)."""

from __future__ import annotations

import pytest

from bot import store


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
def _learned_layer_ready(tmp_path_factory):
    """Train Check's learned layer once per test run (kept in memory by the examples' hash), as serve does
    at start, so that no test waits for it inside a Slack timeout."""
    import os

    old = os.environ.get("BOT_DB")
    os.environ["BOT_DB"] = str(tmp_path_factory.mktemp("learned") / "bot.db")
    try:
        from bot.screening import prepare

        prepare()
    finally:
        store.close_all()
        if old is None:
            os.environ.pop("BOT_DB", None)
        else:
            os.environ["BOT_DB"] = old
