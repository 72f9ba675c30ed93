from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture
def pack_dir(tmp_path, monkeypatch) -> Path:
    """A copy of the Urausu pack, made the active one (BOT_KNOWLEDGE)."""
    dest = tmp_path / "pack"
    shutil.copytree(REPO_KNOWLEDGE, dest)
    monkeypatch.setenv("BOT_KNOWLEDGE", str(dest))
    return dest


def replace_in(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` in a file; return the 1-based line of the first replacement."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line
