"""`python -m bot index PATH [--pack DIR]`: ingest another town's guideline into a NEW knowledge pack.

The current pack (BOT_KNOWLEDGE) is never changed: the new folder gets the guideline, the town's name and a
``mapping.toml`` of proposed clause correspondences for 総務課 to confirm; BOT_KNOWLEDGE=<folder> uses it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", type=Path, help="公表形式のガイドライン本文（テキスト、UTF-8）")
    p.add_argument("--pack", type=Path, help="新しい知識フォルダの場所（省略時はユーザーのデータフォルダの下に作ります）")
    p.add_argument("--reset", action="store_true", help="以前の版で取り込んだ本文をデータベースから外し、知識フォルダのガイドラインに戻します")


def run(args: argparse.Namespace) -> int:
    from bot.errors import UserError

    if args.reset or not args.path:
        from bot.search.index import reset_to_knowledge

        if not args.reset:
            raise UserError("取り込むガイドラインのファイルを指定してください。例: python -m bot index 天城町ガイドライン.txt")
        g = reset_to_knowledge()
        from bot.screening import prepare

        prepare()  # Check's learned layer: trained from the examples (kept in the database by their hash)
        print(f"知識フォルダのガイドラインを使います: {g.name}（{len(g.clauses)} 条項）")
        return 0
    from bot.knowledge import current_pack
    from bot.knowledge.ingest import ingest

    source = current_pack()
    print(f"{args.path} を読み込み、{source.town}の知識ファイルとの条項の対応を調べています…", file=sys.stderr, flush=True)
    done = ingest(args.path, source, args.pack)
    g = done.guideline
    sections = sum(1 for c in g.clauses if c.id.isdigit())
    mapped = [p for p in done.proposals if p.target]
    unmapped = [p for p in done.proposals if not p.target]
    print(f"{args.path} から {len(g.clauses)} 件の条項（{sections} 章）を取り込みました: {g.name}")
    print(f"新しい知識フォルダ: {done.dir}")
    print(f"{source.town}の知識ファイルが使う条項 {len(done.proposals)} 件のうち、対応の提案 {len(mapped)} 件、"
          f"対応する条項なし {len(unmapped)} 件です。")
    for p in mapped:
        print(f"  提案: {source.town} {p.source_label} → {p.target_label}（類似度 {p.score:.2f}）")
    if unmapped:
        print("  対応する条項なし: " + "、".join(p.source for p in unmapped))
    print(f"総務課が {done.dir / 'mapping.toml'} を確認し、合っている対応を confirmed = true にしてください。"
          "確認されるまで、その条項を使う確認（Check）や報告（Report）は「このガイドラインでは使えません」と表示します。")
    print(f"使うには: BOT_KNOWLEDGE={done.dir} を設定してから起動してください（確認: python -m bot knowledge check {done.dir}）。")
    return 0
