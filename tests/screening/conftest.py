"""Fixtures for screening tests: a private copy of knowledge/screening that a test may edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import REPO_KNOWLEDGE


@pytest.fixture
def knowledge_copy(tmp_path, monkeypatch) -> Path:
    """BOT_KNOWLEDGE pointing at a copy of the repository's knowledge; returns its screening folder."""
    dest = tmp_path / "knowledge"
    shutil.copytree(REPO_KNOWLEDGE, dest)
    monkeypatch.setenv("BOT_KNOWLEDGE", str(dest))
    return dest / "screening"


def _flagged(verdict) -> set[str]:
    return {f.clause for f in verdict.findings if f.severity in ("block", "warn")}


@pytest.fixture
def flagged():
    """Clauses of a Verdict's warn/block findings (what a user is asked to act on)."""
    return _flagged
