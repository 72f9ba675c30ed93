"""`python -m bot check "下書き"` / `check --json "…"` / `check -` (stdin) / `check --jsonl` (JSON lines on stdin)."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("draft", nargs="?", help="確認する投稿の下書き（「-」なら標準入力から読みます）")
    p.add_argument("--json", action="store_true", help="結果を1つの JSON オブジェクトで出力します")
    p.add_argument("--jsonl", action="store_true", help='標準入力の JSON 行 {"text": "..."} を1行ずつ確認します')
    p.add_argument(
        "--account", choices=("official", "private"), default="official",
        help="投稿先: official（町の公式アカウント、既定）/ private（職員個人の私的利用）",
    )


def run(args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.knowledge import require_valid
    from bot.screening import check
    from bot.screening.render import render_verdict
    from bot.screening.rules import knowledge

    require_valid()  # a broken pack: the same lines as `python -m bot knowledge check`, exit 2
    knowledge()  # validate the rules first: a broken rules file is one clear error line
    if args.jsonl:
        return _jsonl(args.account)
    if args.draft is None:
        raise UserError('下書きを指定してください。例: python -m bot check "本日の除雪状況をお知らせします"（標準入力なら「-」）')
    draft = sys.stdin.read() if args.draft == "-" else args.draft
    verdict = check(draft, account=args.account)
    if args.json:
        print(json.dumps(verdict.to_dict(), ensure_ascii=False))
    else:
        labels = {name: c.label for name, c in knowledge().categories.items()}
        print(render_verdict(verdict, labels))
    return 0


def _jsonl(account: str) -> int:
    from bot.screening import check
    from bot.screening.model import Verdict

    for lineno, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj.get("text") if isinstance(obj, dict) else None
            acc = obj.get("account", account) if isinstance(obj, dict) else account
            if not isinstance(text, str) or acc not in ("official", "private"):
                raise ValueError
        except ValueError:  # includes JSONDecodeError
            out = Verdict("ok", [], notice=f'{lineno}行目: {{"text": "..."}} の形式ではないため確認できませんでした。')
        else:
            out = check(text, account=acc)
        sys.stdout.write(json.dumps(out.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0
