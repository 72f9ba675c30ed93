"""`python -m bot incidents [--json|--csv|--format md|csv] [--open] [--id N] [--notice website|press] [-o FILE]`.

Without --id: the list of incidents (id, type, status, url, reporter, department, channel, thread_ts, created,
steps done with who/when): text in JST with display names, ``--json`` (the machine contract, UTC and ids),
``--format csv`` (UTF-8 with a BOM, Japanese labels, JST, display names: Excel opens it; ``--csv`` stays the
machine contract: English field names, ids, UTC).
With --id N: that incident's record for the 決裁 (``--format md``, the default; ``--format csv``: its 経過),
or a draft of the website notice / the press material (``--notice website|press``, 総務課 copies it).
Names come from the cache of Slack profiles, then the directory's [names], then the id."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FIELDS = ["id", "type", "status", "url", "reporter", "department", "channel", "thread_ts", "created", "steps"]
FORMATS = ("text", "json", "md", "csv")


def add_arguments(p: argparse.ArgumentParser) -> None:
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON の配列で出力します（時刻は UTC、利用者は ID）")
    fmt.add_argument("--csv", action="store_true",
                     help="CSV（プログラム向け: 英語の見出し、UTC、利用者 ID）で出力します。Excel で開くときは --format csv")
    fmt.add_argument("--format", choices=FORMATS, help="出力の形式: text / json / md（決裁用の記録）/ csv")
    p.add_argument("--open", action="store_true", help="対応中の報告だけを出力します")
    p.add_argument("--id", type=int, help="この番号の報告だけ（決裁用の記録・経過）を出力します")
    p.add_argument("--notice", choices=("website", "press"),
                   help="なりすましの周知文（website: 公式ホームページ）・資料提供（press: 報道機関）の案を出力します")
    p.add_argument("--account", help="周知文に書くなりすましアカウントの名前（省略時は記録された名前か URL から）")
    p.add_argument("-o", "--output", type=Path, help="画面ではなくこのファイルに書き出します")


def _emit(data: str | bytes, output: Path | None) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output is not None:
        output.write_bytes(raw)
        print(f"{output} に書き出しました。", file=sys.stderr)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(raw)
    sys.stdout.buffer.flush()


def run(args: argparse.Namespace) -> int:
    import json

    from bot.errors import UserError
    from bot.incidents import export, incidents, records
    from bot.incidents.people import offline_names
    from bot.wording import line

    fmt = "json" if args.json else "machine-csv" if args.csv else (args.format or ("md" if args.id is not None else "text"))
    names = offline_names()
    if args.notice:
        if args.id is None:
            raise UserError(line("record", "id_needed"))
        from bot.incidents import notices

        _emit(notices.render(args.notice, args.id, account_name=args.account) + "\n", args.output)
        return 0
    if args.id is not None:
        incident = records.get(args.id)
        if incident is None:
            raise UserError(line("record", "not_found", id=args.id))
        chosen = [incident]
    else:
        chosen = incidents(open_only=args.open)
    if fmt == "json":
        _emit(json.dumps([i.to_dict() for i in chosen], ensure_ascii=False, indent=2) + "\n", args.output)
        return 0
    if fmt == "machine-csv":
        return _machine_csv(chosen)
    if fmt == "csv":
        labels = export.type_labels()
        if args.id is not None:
            _emit(export.history_csv(export.build(chosen[0], names, labels)), args.output)
        else:
            _emit(export.list_csv([export.build(i, names, labels, with_history=False) for i in chosen]), args.output)
        return 0
    if fmt == "md":
        labels = export.type_labels()
        parts = [export.markdown(export.build(i, names, labels)) for i in chosen]
        if not parts:
            print(line("record", "empty_open" if args.open else "empty"))
            return 0
        _emit("\n---\n\n".join(parts), args.output)
        return 0
    return _text(chosen, names, args.open)


def _steps_cell(steps: list[dict]) -> str:
    """Done steps in one CSV cell: 事実確認 (U123 2026-11-25T12:00:00+00:00); …"""
    return "; ".join(f"{s['name']} ({s['done_by']} {s['done_at']})" for s in steps)


def _machine_csv(chosen) -> int:
    """``--csv``: the machine contract kept as it was (English field names, ids, UTC; no BOM)."""
    import csv

    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in (i.to_dict() for i in chosen):
        writer.writerow({**item, "steps": _steps_cell(item["steps"])})
    return 0


def _text(chosen, names, open_only: bool) -> int:
    from bot.incidents import export
    from bot.wording import line

    if not chosen:
        print(line("record", "empty_open" if open_only else "empty"))
        return 0
    labels = export.type_labels()
    for incident in chosen:
        rec = export.build(incident, names, labels, with_history=False)
        print(line("record", "list_line", id=rec.id, type=rec.type_label, status=rec.status_label, created=rec.created_jst,
                   reporter=rec.reporter_name, department=rec.department or line("record", "unknown_department"),
                   owner=rec.owner_name or line("record", "nobody"), url=rec.url or line("record", "no_url")))
        for s in rec.steps:
            if s.done:
                print(line("record", "list_step", name=s.name, who=s.who, at=s.at))
    return 0
