"""A draft's text is never written to disk, the database or logs (only counts)."""

import logging

from bot import store
from bot.__main__ import main
from bot.screening import check

DRAFT = "窓口に来た高橋一郎さんは浦臼町字キナウスナイ45番地にお住まいです。秘密の合言葉ウラウス"


def _files_containing(root, needle: bytes):
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_check_leaves_no_trace_in_db_files_or_logs(tmp_path, bot_db, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    store.db()  # the database exists, as it would in the running app
    main(["check", "--json", DRAFT])
    main(["check", DRAFT])
    check(DRAFT, account="private")
    capsys.readouterr()
    store.close_all()
    for needle in ("高橋一郎", "キナウスナイ", "合言葉ウラウス"):
        assert needle not in caplog.text
        assert _files_containing(tmp_path, needle.encode("utf-8")) == []
    assert "findings" in caplog.text  # counts are logged, so the log was really captured
    tables = store.db(bot_db).table_names()
    for name in tables:
        for row in store.db(bot_db)[name].rows:
            assert "高橋一郎" not in str(row)
