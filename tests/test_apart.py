"""bot.apart: training in a child process, and in this process when no child can be started."""

from __future__ import annotations

import logging
import multiprocessing

from bot import apart


def test_work_runs_in_a_child_and_returns_its_result():
    assert apart.in_child(sorted, [3, 1, 2]) == [1, 2, 3]


def test_without_a_child_the_work_is_done_here_with_one_warning(monkeypatch, caplog):
    class NoChildren:
        def Pool(self, _n):
            raise OSError("fork refused")

    monkeypatch.setattr(multiprocessing, "get_context", lambda _kind: NoChildren())
    with caplog.at_level(logging.WARNING, logger="bot.apart"):
        assert apart.in_child(sorted, [3, 1, 2], what="ask: training") == [1, 2, 3]
    assert [r.getMessage() for r in caplog.records] == ["ask: training in a child process failed (OSError), done here"]
