"""`python -m bot index [PATH | --reset]`: ingest a guideline text into the database."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", type=Path, help="公表形式のガイドライン本文（テキスト）。省略時は knowledge/guideline.txt")
    p.add_argument("--reset", action="store_true", help="knowledge/guideline.txt に戻します")


def run(args: argparse.Namespace) -> int:
    from bot.search.index import ingest, reset_to_knowledge

    if args.path and not args.reset:
        g = ingest(args.path)
        source = str(args.path)
    else:
        g = reset_to_knowledge()
        source = "knowledge/guideline.txt"
    from bot.screening import prepare

    prepare()  # Check's learned layer: trained from the examples (kept in the database by their hash)
    sections = sum(1 for c in g.clauses if c.id.isdigit())
    print(f"{source} から {len(g.clauses)} 件の条項（{sections} 章）を取り込みました: {g.name}")
    return 0
