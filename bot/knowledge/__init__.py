"""Knowledge packs: one town's knowledge folder, read with one reader (encodings, empty files, TOML
errors in Japanese) and validated as a whole (every clause reference exists in its guideline).

``current_pack()`` is the pack of ``BOT_KNOWLEDGE`` (cached, reloaded when a file of the folder changes);
``require_valid()`` raises KnowledgeError listing the problems, which serve/ask/check show and stop on.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from bot.knowledge.checks import Problem, check_pack, checker
from bot.knowledge.pack import Manifest, MapEntry, Pack, load_pack
from bot.knowledge.read import KnowledgeError, decode, parse_toml, read_text, read_toml, tsv_rows

__all__ = [
    "KnowledgeError", "Manifest", "MapEntry", "Pack", "Problem", "check_pack", "checker", "current_pack",
    "decode", "load_pack", "parse_toml", "read_text", "read_toml", "require_valid", "tsv_rows",
]

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Pack, list[Problem]]] = {}
MAX_SHOWN = 10


def _stamp(folder: Path) -> tuple:
    """(path, mtime, size) of every file under ``folder``: os.scandir, ~1 ms for 560 files (pathlib's rglob
    and sort took ~12 ms, on every check and question)."""
    out = []
    todo = [str(folder)]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    todo.append(entry.path)
                elif entry.is_file():
                    st = entry.stat()
                    out.append((entry.path, st.st_mtime_ns, st.st_size))
            except OSError:
                continue
    return tuple(sorted(out))


def _load(folder: Path | None) -> tuple[Pack, list[Problem]]:
    from bot import config

    folder = Path(folder) if folder else config.knowledge_dir()
    key = str(folder.resolve())
    stamp = _stamp(folder) if folder.is_dir() else ()
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1], hit[2]
    with _lock:
        pack = load_pack(folder)
        problems = check_pack(pack)
        _cache[key] = (stamp, pack, problems)
        return pack, problems


def current_pack(folder: Path | None = None) -> Pack:
    """The pack (default: BOT_KNOWLEDGE), without refusing reference problems."""
    return _load(folder)[0]


def problems(folder: Path | None = None) -> list[Problem]:
    return _load(folder)[1]


def describe(problems: list[Problem]) -> str:
    lines = [str(p) for p in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(f"ほか {len(problems) - MAX_SHOWN} 件あります（python -m bot knowledge check で全部表示します）。")
    return "\n".join(lines)


def require_valid(folder: Path | None = None) -> Pack:
    """The pack, or KnowledgeError with its problems (one line each)."""
    pack, found = _load(folder)
    if len(found) == 1:
        raise KnowledgeError(describe(found))
    if found:
        raise KnowledgeError("知識フォルダに直すところがあります。\n" + describe(found))
    return pack


def town() -> str:
    """The town's name (from the pack), for wording; a neutral word when the pack cannot be read."""
    try:
        return current_pack().town
    except Exception:  # noqa: BLE001 - wording must not fail
        return "町"


def general_affairs() -> str:
    try:
        return current_pack().general_affairs
    except Exception:  # noqa: BLE001
        return "総務課"


def guideline_title() -> str:
    try:
        return current_pack().guideline_title
    except Exception:  # noqa: BLE001
        return "ソーシャルメディアガイドライン"
