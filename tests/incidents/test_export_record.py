"""The record for the 決裁: `incidents --id N --format md|csv`, the list in JST with display names, the CSV
with a BOM (Excel opens it as UTF-8), display names from Slack's users.info kept in the `people` table."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from slack_sdk import WebClient

from bot import store
from bot.__main__ import main
from bot.incidents import classify, people, records, submit, tick
from bot.slack.people import slack_names
from tests.fakeslack.api import BOT_TOKEN

OPENED_UTC = "2026-12-02T00:41:00+00:00"  # 2026年12月2日 09:41 JST
TICKED_UTC = "2026-12-02T15:05:00+00:00"  # 2026年12月3日 00:05 JST (the next day in JST)


def _seed():
    inc = submit(classify("偽アカウントです https://x.com/urausu_fake"), reporter="USAN001", channel="C1",
                 thread_ts="1.0", message_key="Ev1").incident
    tick(inc.id, 0, "USANHEAD")
    db = store.db()
    db.execute("update incidents set created = ? where id = ?", [OPENED_UTC, inc.id])
    db.execute("update steps set done_at = ? where incident = ? and pos = 0", [TICKED_UTC, inc.id])
    db.execute("update step_log set at = ? where incident = ?", [TICKED_UTC, inc.id])
    if "incident_log" in db.table_names():
        db.execute("update incident_log set at = ? where incident = ? and action in ('opened', 'notified')", [OPENED_UTC, inc.id])
        db.execute("update incident_log set at = ? where incident = ? and action = 'step_done'", [TICKED_UTC, inc.id])
    people.remember("USAN001", "産業 太郎", "Sangyo Taro")
    people.remember("USANHEAD", "", "産業 課長")  # no display name: the real name
    return inc


def test_md_record_for_the_kessai(directory_file, capsys):
    inc = _seed()
    assert main(["incidents", "--id", str(inc.id), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith(f"# 報告 #{inc.id} なりすまし（対応中）")
    assert "| 報告者 | 産業 太郎 |" in md and "| 所属 | 産業課 |" in md
    assert "| 報告日時 | 2026年12月2日 09:41 |" in md
    assert "| 対象URL | https://x.com/urausu_fake |" in md and "| 担当者 | （なし） |" in md
    assert "| 事実確認 | 済 | 産業 課長 | 2026年12月3日 00:05 |" in md
    assert "| プラットフォームへ削除依頼 | 未 |  |  |" in md
    history = md[md.index("## 経過"):]
    assert "| 2026年12月2日 09:41 | 産業 太郎 | 報告を受け付けました | なりすまし　https://x.com/urausu_fake |" in history
    assert "| 2026年12月3日 00:05 | 産業 課長 | 手順を済みにしました | 事実確認 |" in history
    assert "USAN001" not in md and "+00:00" not in md and "impersonation" not in md


def test_md_is_the_default_with_an_id_and_can_be_written_to_a_file(directory_file, tmp_path, capsys):
    inc = _seed()
    out = tmp_path / "決裁.md"
    assert main(["incidents", "--id", str(inc.id), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith(f"# 報告 #{inc.id} ")


def test_csv_record_has_a_bom_japanese_labels_jst_and_names(directory_file, capsysbinary):
    inc = _seed()
    assert main(["incidents", "--id", str(inc.id), "--format", "csv"]) == 0
    raw = capsysbinary.readouterr().out
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["報告番号", "種類", "状況", "対象URL", "報告者", "所属", "報告日時", "担当者", "日時", "対応者", "内容", "詳細"]
    first = rows[0]
    assert (first["報告番号"], first["種類"], first["状況"], first["報告者"], first["報告日時"]) == \
        (str(inc.id), "なりすまし", "対応中", "産業 太郎", "2026年12月2日 09:41")
    assert first["内容"] == "報告を受け付けました"
    ticked = next(r for r in rows if r["内容"] == "手順を済みにしました")
    assert (ticked["日時"], ticked["対応者"], ticked["詳細"]) == ("2026年12月3日 00:05", "産業 課長", "事実確認")


def test_list_csv_is_for_excel(directory_file, capsysbinary):
    inc = _seed()
    assert main(["incidents", "--format", "csv"]) == 0
    raw = capsysbinary.readouterr().out
    assert raw[:3] == b"\xef\xbb\xbf" and b"\r\n" in raw
    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["報告番号"] == str(inc.id) and row["種類"] == "なりすまし" and row["状況"] == "対応中"
    assert row["報告者"] == "産業 太郎" and row["報告日時"] == "2026年12月2日 09:41"
    assert row["済んだ手順"] == "事実確認（産業 課長 2026年12月3日 00:05）"


def test_text_list_in_jst_with_names(directory_file, capsys):
    _seed()
    assert main(["incidents"]) == 0
    out = capsys.readouterr().out
    assert "2026年12月2日 09:41" in out and "報告者 産業 太郎（産業課）" in out
    assert "✓ 事実確認 — 産業 課長 2026年12月3日 00:05" in out
    assert "+00:00" not in out and "USAN001" not in out


def test_json_contract_is_unchanged(directory_file, capsys):
    _seed()
    assert main(["incidents", "--json"]) == 0
    import json

    [item] = json.loads(capsys.readouterr().out)
    assert item["reporter"] == "USAN001" and item["created"] == OPENED_UTC  # machines get ids and UTC


def test_names_fall_back_to_the_directory_then_the_id(tmp_path, monkeypatch, directory_text):
    path = tmp_path / "directory.toml"
    path.write_text(directory_text + '\n[names]\n"UJUMHEAD" = "住民 課長"\n', encoding="utf-8")
    monkeypatch.setenv("BOT_DIRECTORY", str(path))
    names = people.offline_names()
    assert names("UJUMHEAD") == "住民 課長" and names("UNOBODY1") == "UNOBODY1"
    people.remember("UJUMHEAD", "じゅうみん", "")
    assert people.offline_names()("UJUMHEAD") == "じゅうみん"


def test_a_bad_names_table_names_its_line(tmp_path, monkeypatch, directory_text, capsys):
    path = tmp_path / "directory.toml"
    path.write_text(directory_text + '\n[names]\n"not-an-id" = "誰か"\n', encoding="utf-8")
    monkeypatch.setenv("BOT_DIRECTORY", str(path))
    assert main(["directory", "check"]) != 0
    line = len(directory_text.splitlines()) + 3
    assert f"{line} 行目" in capsys.readouterr().err


def test_slack_names_are_cached_and_refreshed_after_a_day(fake_slack):
    fake_slack.users["UA"] = {"id": "UA", "real_name": "Aさん", "profile": {"display_name": "えー", "real_name": "A 花子"}}
    fake_slack.users["UB"] = {"id": "UB", "real_name": "B 次郎", "profile": {"display_name": "", "real_name": "B 次郎"}}
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.url)
    names = slack_names(client)
    assert (names("UA"), names("UB"), names("UA")) == ("えー", "B 次郎", "えー")
    assert len(fake_slack.calls_to("users.info")) == 2
    assert slack_names(client)("UA") == "えー" and len(fake_slack.calls_to("users.info")) == 2  # cached
    old = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat(timespec="seconds")
    store.db().execute("update people set fetched = ? where user = 'UA'", [old])
    fake_slack.users["UA"]["profile"]["display_name"] = "えー（改名）"
    assert slack_names(client)("UA") == "えー（改名）" and len(fake_slack.calls_to("users.info")) == 3
    # Slack cannot answer: the last known name, else the id
    store.db().execute("update people set fetched = ? where user = 'UA'", [old])
    fake_slack.fail_next("users.info", "internal_error", times=2)
    fresh = slack_names(client)
    assert fresh("UA") == "えー（改名）" and fresh("UZ") == "UZ"


@pytest.mark.usefixtures("directory_file")
def test_export_after_slack_has_jst_and_display_names(slack_app, fake_slack, capsys):
    from tests.incidents.test_report_slack import _click, _report

    fake_slack.users["USAN001"] = {"id": "USAN001", "profile": {"display_name": "さんぎょう", "real_name": "産業 太郎"}}
    fake_slack.users["UGA0001"] = {"id": "UGA0001", "profile": {"display_name": "そうむ", "real_name": "総務 花子"}}
    _, reply = _report(slack_app, fake_slack, "Xで町の偽アカウントを見つけました https://x.com/urausu_fake", "USAN001")
    inc = _click(slack_app, fake_slack, reply, 0, "UGA0001")
    fake_slack.wait_for("users.info", where=lambda c: c.params.get("user") == "UGA0001")
    from tests.incidents.reportflow import until

    until(lambda: people.cached("UGA0001") is not None)
    assert main(["incidents", "--id", str(inc.id), "--format", "md"]) == 0
    md = capsys.readouterr().out
    created = records.get(inc.id).created
    from bot.incidents.when import jst_datetime

    assert f"| 報告日時 | {jst_datetime(created)} |" in md and "年" in jst_datetime(created)
    assert "| 報告者 | さんぎょう |" in md and "| 事実確認 | 済 | そうむ |" in md
    assert "USAN001" not in md and "UGA0001" not in md
