"""`python -m bot directory check [PATH]`: validate the staff directory (default: env BOT_DIRECTORY) and
summarize it."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="<action>")
    check = sub.add_parser("check", help="部署名簿を検証し、部署ごとの人数を表示します", description="部署名簿を検証し、部署ごとの人数を表示します")
    check.add_argument("path", nargs="?", help="名簿ファイル（省略時は環境変数 BOT_DIRECTORY）")


def run(args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.incidents import directory

    if args.action != "check":
        raise UserError("何をするか指定してください。部署名簿を確認するには python -m bot directory check [ファイル] と入力してください。")
    path = args.path or directory.configured_path()
    if not path:
        raise UserError("部署名簿のファイルが指定されていません。環境変数 BOT_DIRECTORY にパスを設定するか、python -m bot directory check ファイル と指定してください。")
    d = directory.read(path)
    ga = d.general_affairs
    print(f"部署名簿 {path} に問題はありません。")
    print(f"  {ga.name} [general_affairs]: 課長 {ga.head or 'なし'}、メンバー {len(ga.members)} 人 — 報告で {', '.join(ga.mentions)} をタグ付けします")
    for dept in d.departments:
        print(f"  {dept.name}: 課局長 {dept.head}、メンバー {len(dept.members)} 人")
    print(f"部署数 {len(d.departments) + 1}（{ga.name}を含む）")
    return 0
