"""`python -m bot unanswered` (placeholder: implemented by its issue)."""

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from bot.errors import UserError

    raise UserError("このサブコマンドはまだ実装されていません。")
