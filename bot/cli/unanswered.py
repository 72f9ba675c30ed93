"""`python -m bot unanswered [--json]`: questions the guideline did not answer, with counts."""

from __future__ import annotations

import argparse
import json


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="JSON の配列で出力します（question, count, first_asked, last_asked）")


def run(args: argparse.Namespace) -> int:
    from bot.feedback import unanswered_summary

    items = unanswered_summary()
    if args.json:
        print(json.dumps([i.to_dict() for i in items], ensure_ascii=False))
        return 0
    if not items:
        print("答えられなかった質問はまだ記録されていません。")
        return 0
    print(f"ガイドラインで答えられなかった質問（{len(items)}種類、多い順）:")
    for i in items:
        print(f"{i.count:>4}件  {i.question}  （最終: {i.last_asked}）")
    return 0
