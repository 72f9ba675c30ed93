"""Heavy one-off work (training) in a spawned child process, so that the serving process keeps only the result.

``in_child(fn, *args)`` returns ``fn(*args)`` computed in a child (``fn`` must be a module-level function whose
arguments and result pickle; return plain data: bytes, JSON). When a child cannot be started or fails, the work
is done here instead, with one warning in the log.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def in_child(fn: Callable[..., T], *args, what: str = "training") -> T:
    try:
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            return pool.apply(fn, args)
    except (OSError, RuntimeError, EOFError, ValueError, TypeError, multiprocessing.ProcessError) as err:
        log.warning("%s in a child process failed (%s), done here", what, type(err).__name__)
        return fn(*args)
