"""Check's learned layer, trained once per test run (tests/conftest.py), copied into the database of a
`serve` subprocess before it starts, so that each served app loads it instead of training it again (about
30 s per start on 2 busy cores). Serving itself is unchanged: with an empty database it trains, as in
production."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SOURCE: Path | None = None  # the session's database holding the trained weights


def prime(db: str | Path | None) -> None:
    if not db or SOURCE is None or not SOURCE.exists():
        return
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(str(db)) as conn:
        conn.execute("create table if not exists screening_models ([key] TEXT PRIMARY KEY, [blob] BLOB)")
        conn.execute("attach database ? as trained", [str(SOURCE)])
        conn.execute("insert or ignore into screening_models select [key], [blob] from trained.screening_models")
        conn.commit()
        conn.execute("detach database trained")
