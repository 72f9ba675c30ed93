"""`python -m bot knowledge check [DIR]`: validate a knowledge pack as a whole."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="<action>")
    c = sub.add_parser("check", help="知識フォルダの全ファイルを確認します（条項番号・文字コード・書き方）",
                       description="知識フォルダの全ファイルを確認します（条項番号・文字コード・書き方）")
    c.add_argument("dir", nargs="?", type=Path, help="知識フォルダ（省略時は BOT_KNOWLEDGE、なければ knowledge/）")


def run(args: argparse.Namespace) -> int:
    if args.action != "check":
        print("使い方: python -m bot knowledge check [フォルダ]", file=sys.stderr)
        return 2
    from bot.knowledge import KnowledgeError, current_pack, problems

    try:
        pack = current_pack(args.dir)
        found = problems(args.dir)
    except KnowledgeError as err:
        print(f"エラー: {err}", file=sys.stderr)
        return 1
    if found:
        print(f"{pack.dir} に直すところが {len(found)} 件あります。", file=sys.stderr)
        for p in found:
            print(f"・{p}", file=sys.stderr)
        return 1
    g = pack.guideline
    sections = sum(1 for c in g.clauses if c.id.isdigit())
    print(f"{pack.dir}: 問題はありません。")
    print(f"町: {pack.town}　ガイドライン: {pack.guideline_title}（{len(g.clauses)} 条項、{sections} 章）　相談先: {pack.general_affairs}")
    if pack.mapping is not None:
        pending = pack.pending
        none = [e for e in pack.mapping.values() if not e.target]
        print(f"条項の対応（mapping.toml）: {len(pack.mapping)} 件のうち確認済み {len(pack.mapping) - len(pending)} 件、"
              f"未確認 {len(pending)} 件（うち対応する条項なし {len(none)} 件）。未確認の条項を使う確認や手順は、"
              "確認されるまで「このガイドラインでは使えません」と表示します。")
    return 0
