"""`python -m bot clauses [--json]`: list the clauses of the active guideline."""

from __future__ import annotations

import argparse
import json


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="JSON で出力します")


def run(args: argparse.Namespace) -> int:
    from bot.search.index import stored_clauses

    clauses = stored_clauses()
    if args.json:
        print(json.dumps([c.to_dict() for c in clauses], ensure_ascii=False, indent=1))
        return 0
    for c in clauses:
        label = c.heading or c.text.splitlines()[0]
        print(f"{c.id}\t{c.title}\t{label[:50]}")
    return 0
