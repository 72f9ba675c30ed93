"""Fixtures for the Report core: a directory file at BOT_DIRECTORY and helpers."""

from __future__ import annotations

import pytest

DIRECTORY = """\
[general_affairs]
name = "総務課"
head = "UGAHEAD"
members = ["UGA0001", "UGA0002"]

[[departments]]
name = "産業課"
head = "USANHEAD"
members = ["USAN001", "USAN002"]

[[departments]]
name = "住民課"
head = "UJUMHEAD"
members = ["UJUM001"]
"""


@pytest.fixture
def directory_file(tmp_path, monkeypatch):
    path = tmp_path / "directory.toml"
    path.write_text(DIRECTORY, encoding="utf-8")
    monkeypatch.setenv("BOT_DIRECTORY", str(path))
    return path


@pytest.fixture
def no_directory(monkeypatch):
    monkeypatch.delenv("BOT_DIRECTORY", raising=False)


@pytest.fixture
def directory_text() -> str:
    return DIRECTORY


# The local fake Slack (tests/fakeslack) for the end-to-end Report tests.
from tests.fakeslack.fixtures import fake_slack, fake_socket, slack_app, slack_mode  # noqa: E402,F401
