"""Command line: ``python -m bot <subcommand>``. Each subcommand lives in bot/cli/<name>.py with
``add_arguments(parser)`` and ``run(args) -> int``; heavy imports happen inside ``run`` so that
``ask`` starts fast."""

from __future__ import annotations

import argparse
import importlib
import re
import sqlite3
import sys

# name -> help; the module bot.cli.<name> implements it
SUBCOMMANDS = {
    "ask": "ガイドラインについて質問し、該当する条項を引用して答えます",
    "check": "投稿の下書きをガイドラインに照らして確認します",
    "index": "ガイドライン本文を取り込み、検索索引を作り直します",
    "clauses": "取り込まれている条項の一覧を表示します",
    "serve": "Slack アプリを起動します（既定: Socket Mode、--http で HTTP）",
    "unanswered": "ガイドラインで答えられなかった質問を件数つきで表示します",
    "incidents": "報告（なりすまし・炎上など）の一覧を書き出します",
    "directory": "部署名簿（BOT_DIRECTORY）を確認します",
}


# argparse's own error messages (English) → polite Japanese; anything else is shown as it is.
_ARG_ERRORS = [
    (r"argument (\S+): not allowed with argument (\S+)", "{0} と {1} は同時に指定できません"),
    (r"argument (\S+): invalid int value: '(.*)'", "{0} には数字を指定してください（「{1}」は使えません）"),
    (r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)", "「{1}」は指定できません（指定できるもの: {2}）"),
    (r"argument (\S+): expected one argument", "{0} の後に値を指定してください"),
    (r"unrecognized arguments: (.*)", "使えない引数があります: {0}"),
    (r"the following arguments are required: (.*)", "次の引数を指定してください: {0}"),
]


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one polite Japanese line (exit 2, like argparse)."""

    def error(self, message: str):
        for pattern, japanese in _ARG_ERRORS:
            m = re.fullmatch(pattern, message)
            if m:
                message = japanese.format(*m.groups())
                break
        else:
            message = f"引数が正しくありません（{message}）"
        self.exit(2, f"エラー: {message}。使い方は「{self.prog} -h」で確認できます。\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m bot",
        description="浦臼町ソーシャルメディア活用ガイドライン支援ボット (Ask / Check / Report)",
    )
    sub = parser.add_subparsers(dest="command", metavar="<subcommand>")
    for name, help_text in SUBCOMMANDS.items():
        module = importlib.import_module(f"bot.cli.{name}")
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return 2
    from bot import config
    from bot.config import ConfigError
    from bot.errors import UserError

    try:
        return int(args._module.run(args) or 0)
    except (UserError, ConfigError) as err:
        print(f"エラー: {err}", file=sys.stderr)
        return 2
    except sqlite3.Error as err:
        from bot.config import db_path

        print(f"エラー: データベース {db_path()} を使えません（{err}）。BOT_DB の設定と書き込み権限を確認してください。", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:
        if config.debug():
            raise
        print(f"エラー: 予期しない問題が発生しました（{type(err).__name__}: {err}）。BOT_DEBUG=1 で詳細を表示します。", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
