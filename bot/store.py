"""The one SQLite database (sqlite-utils) for everything the bot stores.

Each domain module declares its tables with ``@migration``; ``db()`` applies them once per database file.
Connections are per thread (Bolt runs listeners on worker threads); WAL lets readers and one writer
work together. Draft text is never stored here.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from bot import config

_local = threading.local()
_migrations: list[Callable[[sqlite_utils.Database], None]] = []
_migrated: set[str] = set()
_lock = threading.Lock()
BUSY_TIMEOUT_MS = 15000  # work off the ack path waits this long for another writer


def migration(fn: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    """Register a function that creates or upgrades tables; it must be idempotent."""
    _migrations.append(fn)
    _migrated.clear()
    return fn


def db(path: Path | str | None = None) -> sqlite_utils.Database:
    """The database for ``path`` (default: the path bound to this thread by ``bind``, else BOT_DB), one
    connection per thread, migrated."""
    target = str(Path(path) if path else (getattr(_local, "bound", None) or config.db_path()))
    cache = getattr(_local, "dbs", None)
    if cache is None:
        cache = _local.dbs = {}
    database = cache.get(target)
    if database is None:
        try:
            if target != ":memory:":
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(target, timeout=15, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as err:
            raise config.ConfigError(f"環境変数 BOT_DB のデータベース {target} を開けません（{err}）。"
                                     "ファイルの場所と書き込み権限を確認してください。") from err
        database = sqlite_utils.Database(conn)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable on app crash, fast commits
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        cache[target] = database
    key = f"{target}:{len(_migrations)}"
    if key not in _migrated:
        with _lock:
            for fn in list(_migrations):
                fn(database)
            _migrated.add(key)
    return database


def bind(path: Path | str | None) -> None:
    """Make ``db()`` on this thread use ``path`` (a background worker keeps the database it started with)."""
    _local.bound = str(path) if path else None


@contextmanager
def transaction(database: sqlite_utils.Database | None = None, busy_s: float | None = None) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE … COMMIT on this thread's connection (the writer lock is taken up front, so a
    check-then-write inside cannot race another thread or process).

    ``busy_s``: wait at most this long for another writer (the ack path: Slack allows 3 s), then raise
    sqlite3.OperationalError ("database is locked") instead of waiting the default 15 s."""
    database = database or db()
    if busy_s is not None:
        database.conn.execute(f"PRAGMA busy_timeout={int(busy_s * 1000)}")
    try:
        database.execute("BEGIN IMMEDIATE")
        try:
            yield database
        except BaseException:
            database.execute("ROLLBACK")
            raise
        database.execute("COMMIT")
    finally:
        if busy_s is not None:
            database.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@contextmanager
def busy_timeout(seconds: float, database: sqlite_utils.Database | None = None) -> Iterator[sqlite_utils.Database]:
    """Wait at most ``seconds`` for another writer inside this block (no transaction is opened)."""
    database = database or db()
    database.conn.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")
    try:
        yield database
    finally:
        database.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def close_all() -> None:
    """Close this thread's connections (tests switch BOT_DB between cases)."""
    for database in getattr(_local, "dbs", {}).values():
        database.conn.close()
    _local.dbs = {}
    _migrated.clear()


@migration
def _meta(database: sqlite_utils.Database) -> None:
    database["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)


def get_meta(key: str, database: sqlite_utils.Database | None = None) -> str | None:
    database = database or db()
    try:
        return database["meta"].get(key)["value"]
    except sqlite_utils.db.NotFoundError:
        return None


def set_meta(key: str, value: str, database: sqlite_utils.Database | None = None) -> None:
    (database or db())["meta"].upsert({"key": key, "value": value}, pk="key")
