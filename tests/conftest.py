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
    store.close_all()
    yield path
    store.close_all()
