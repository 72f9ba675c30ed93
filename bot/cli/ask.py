"""`python -m bot ask "質問"` / `ask --json "質問"` / `ask --jsonl` (JSON lines on stdin)."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", nargs="?", help="質問（例: 勤務中にSNSを見てもいいですか）")
    p.add_argument("--json", action="store_true", help="結果を1つの JSON オブジェクトで出力します")
    p.add_argument("--jsonl", action="store_true", help='標準入力の JSON 行 {"question": "..."} に1行ずつ答えます')


def run(args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.knowledge import require_valid
    from bot.search import ask
    from bot.search.render import render_answer

    require_valid()  # a broken pack: the same lines as `python -m bot knowledge check`, exit 2
    if args.jsonl:
        return _jsonl()
    if args.question is None:
        raise UserError('質問を指定してください。例: python -m bot ask "勤務中にSNSを見てもいいですか"')
    answer = ask(args.question)
    if answer.bad_input:
        raise UserError(answer.notice)  # empty or too long: say what to do, exit 2
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(render_answer(answer))
    return 0


def _jsonl() -> int:
    from bot.search import ask
    from bot.search.model import Answer

    for lineno, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            question = obj["question"] if isinstance(obj, dict) else None
            if not isinstance(question, str):
                raise ValueError
        except (ValueError, KeyError):
            out = Answer(question="", answered=False, notice=f"{lineno}行目: {{\"question\": \"...\"}} の形式ではありません。")
        else:
            out = ask(question)
        sys.stdout.write(json.dumps(out.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0
