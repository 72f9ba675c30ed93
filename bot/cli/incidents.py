"""`python -m bot incidents [--json|--csv] [--open]`: export incidents (id, type, status, url, reporter,
department, channel, thread_ts, created, steps done with who/when)."""

from __future__ import annotations

import argparse

FIELDS = ["id", "type", "status", "url", "reporter", "department", "channel", "thread_ts", "created", "steps"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON の配列で出力します")
    fmt.add_argument("--csv", action="store_true", help="CSV（UTF-8、見出し行つき）で出力します")
    p.add_argument("--open", action="store_true", help="対応中の報告だけを出力します")


def _steps_cell(steps: list[dict]) -> str:
    """Done steps in one CSV cell: 事実確認 (U123 2026-11-25T12:00:00+00:00); …"""
    return "; ".join(f"{s['name']} ({s['done_by']} {s['done_at']})" for s in steps)


def run(args: argparse.Namespace) -> int:
    import csv
    import json
    import sys

    from bot.incidents import incidents
    from bot.incidents.model import STATUS_LABELS

    items = [i.to_dict() for i in incidents(open_only=args.open)]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    if args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for item in items:
            writer.writerow({**item, "steps": _steps_cell(item["steps"])})
        return 0
    if not items:
        print("対応中の報告はありません。" if args.open else "報告はまだありません。")
        return 0
    from bot.incidents import types as report_types

    labels = {t.id: t.label for t in report_types.load().types}
    for item in items:
        print(
            f"#{item['id']} {labels.get(item['type'], item['type'])} [{STATUS_LABELS.get(item['status'], item['status'])}] "
            f"{item['created']} 報告者 {item['reporter']}（{item['department'] or '所属不明'}） {item['url'] or '(URL なし)'}"
        )
        for s in item["steps"]:
            print(f"    ✓ {s['name']} — {s['done_by']} {s['done_at']}")
    return 0
