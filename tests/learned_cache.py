"""What the knowledge trains — Check's learned layer, Ask's ranking parameters and its examples' character
index — trained once per test run (tests/conftest.py) and copied into the database of a `python -m bot`
subprocess before it starts, so that each child loads them instead of training again (tens of seconds per
start on 2 busy cores). The bot itself is unchanged: with an empty database it trains, as in production."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SOURCE: Path | None = None  # the session's database holding the trained artefacts

# (table, key column, schema, rows to copy)
_TABLES = (
    ("screening_models", "CREATE TABLE IF NOT EXISTS screening_models ([key] TEXT PRIMARY KEY, [blob] BLOB)", ""),
    ("ask_grams", "CREATE TABLE IF NOT EXISTS ask_grams ([key] TEXT PRIMARY KEY, [blob] BLOB)", ""),
    ("meta", "CREATE TABLE IF NOT EXISTS meta ([key] TEXT PRIMARY KEY, [value] TEXT)", "WHERE [key] = 'ask_params'"),
)


def prime(db: str | Path | None) -> None:
    if not db or SOURCE is None or not SOURCE.exists():
        return
    try:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db))
    except (OSError, sqlite3.Error):  # a test of an unusable BOT_DB: the child reports it
        return
    with conn:
        conn.execute("attach database ? as trained", [str(SOURCE)])
        have = {r[0] for r in conn.execute("select name from trained.sqlite_master where type = 'table'")}
        for table, schema, where in _TABLES:
            conn.execute(schema)
            if table in have:
                conn.execute(f"insert or ignore into main.{table} select * from trained.{table} {where}")
        conn.commit()
        conn.execute("detach database trained")
