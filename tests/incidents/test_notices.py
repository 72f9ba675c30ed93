"""周知文 (7(3)①) and 資料提供 (7(3)②): drafted from the pack's editable templates with the incident's data,
shown to 総務課 only (a modal), never posted; templates validated with the pack (file and line)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.incidents import classify, notices, records, submit
from bot.incidents.when import wareki
from tests.fakeslack import payloads

BOT = "<@U0BOT>"
REPO_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def _impersonation(url: str = "https://x.com/urausu_fake", reporter: str = "USAN001"):
    return submit(classify(f"Xで町の偽アカウントを見つけました {url}"), reporter=reporter, channel="C1",
                  thread_ts="1.0", message_key=f"k:{url}").incident


@pytest.mark.parametrize("kind", ["website", "press"])
def test_cli_draft_has_the_incident_data_in_town_style(kind, directory_file, capsys):
    inc = _impersonation()
    assert main(["incidents", "--id", str(inc.id), "--notice", kind]) == 0
    out = capsys.readouterr().out
    today = wareki(inc.created)
    assert today.startswith("令和") and today in out
    for expected in ("浦臼町", "総務課", "@urausu_fake", "https://x.com/urausu_fake", "X（旧Twitter）", "0125-68-2111"):
        assert expected in out, expected
    assert "{{" not in out and "{%" not in out and "〔アカウント名〕" not in out
    if kind == "press":
        assert "報道機関各位" in out and "資料提供" in out
    else:
        assert "ご注意ください" in out and "お問い合わせ先" in out


def test_cli_account_name_override_and_placeholder(directory_file, capsys):
    inc = _impersonation("https://example.com/fake-page")
    assert main(["incidents", "--id", str(inc.id), "--notice", "website"]) == 0
    out = capsys.readouterr().out
    assert "〔アカウント名〕" in out and "その他上で" in out
    assert main(["incidents", "--id", str(inc.id), "--notice", "press", "--account", "浦臼町役場（偽）"]) == 0
    assert "アカウント名：浦臼町役場（偽）" in capsys.readouterr().out


def test_cli_notice_needs_an_existing_id(capsys):
    assert main(["incidents", "--notice", "website"]) == 2
    assert "--id" in capsys.readouterr().err
    assert main(["incidents", "--id", "99", "--notice", "press"]) == 2
    assert "報告 #99 は見つかりませんでした" in capsys.readouterr().err


def test_no_notice_for_other_types(directory_file, capsys):
    inc = submit(classify("町の投稿が炎上しています"), reporter="USAN001", channel="C1", thread_ts="2.0", message_key="k2").incident
    assert main(["incidents", "--id", str(inc.id), "--notice", "website"]) == 2
    assert "なりすましの報告ではない" in capsys.readouterr().err


def test_saved_account_name_and_takedown_date_are_used(directory_file):
    inc = _impersonation()
    notices.save_account(inc.id, "  浦臼町 公式（偽）  ", "UGA0001")
    text = notices.render("press", inc.id)
    assert "アカウント名：浦臼町 公式（偽）" in text and "へ削除を依頼します" in text
    from datetime import date

    from bot.incidents import takedowns

    assert takedowns.record_request(inc.id, platform="instagram", requested=date(2026, 12, 1), reference="",
                                    recheck=date(2026, 12, 8), user="UGAHEAD").allowed
    text = notices.render("press", inc.id)
    assert "令和8年12月1日、Instagramの運営会社へ削除を依頼しました" in text
    assert "令和8年12月1日にInstagramの運営会社へ削除を依頼しております" in notices.render("website", inc.id)


@pytest.fixture
def pack_dir(tmp_path, monkeypatch) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(REPO_KNOWLEDGE, dest)
    monkeypatch.setenv("BOT_KNOWLEDGE", str(dest))
    return dest


def _break(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


@pytest.mark.parametrize("old, new, message", [
    ("{% if url %}", "{% iff url %}", "使えないタグがあります"),
    ("{{ account_name }}", "{{ acount_name }}", "「acount_name」という項目はありません"),
    ("{{ requested | wareki }}に", "{{ requested | reiwa }}に", "使えないフィルターがあります"),
])
def test_template_error_names_file_and_line(pack_dir, capsys, old, new, message):
    line = _break(pack_dir / "notices/website.j2", old, new)
    assert main(["knowledge", "check"]) == 1
    err = capsys.readouterr().err
    assert f"notices/website.j2 {line}行目: " in err and message in err


def test_an_unfinished_block_is_reported(pack_dir, capsys):
    _break(pack_dir / "notices/press.j2", "{% endif %}", "")
    assert main(["knowledge", "check"]) == 1
    err = capsys.readouterr().err
    assert "notices/press.j2 " in err and "閉じ忘れ" in err


# --- Slack, both modes ---------------------------------------------------------------------------------


def _report_reply(slack_app, fake_slack, text: str, user: str):
    """A report mention, confirmed with 「報告する」 → the incident's thread reply."""
    from tests.incidents.reportflow import file_report

    return file_report(slack_app, fake_slack, text, user)[1]


def _tool(reply, action_id: str) -> dict:
    for block in reply.params["blocks"]:
        for el in block.get("elements") or []:
            if el.get("action_id") == action_id:
                return el
    raise AssertionError(f"no {action_id} in the reply")


def _click(slack_app, fake_slack, reply, action_id: str, user: str):
    button = _tool(reply, action_id)
    inc = records.get(int(button["value"]))
    message = {"ts": inc.reply_ts, "text": reply.params["text"], "blocks": reply.params["blocks"]}
    payload = payloads.block_actions(action_id, button["value"], message, fake_slack.response_url(), user=user,
                                     block_id="incident_tools")
    assert slack_app.interactive(payload).status == 200
    return inc


def _modal_text(view: dict) -> str:
    return "\n".join((b.get("text") or {}).get("text", "") for b in view["blocks"] if b.get("type") == "section")


@pytest.mark.parametrize("kind, action_id, marker", [("website", "notice_website", "ご注意ください"),
                                                     ("press", "notice_press", "報道機関各位")])
def test_general_affairs_gets_the_draft_in_a_modal_and_nothing_is_posted(slack_app, fake_slack, directory_file,
                                                                        kind, action_id, marker):
    reply = _report_reply(slack_app, fake_slack, "Xで町の偽アカウントを見つけました <https://x.com/urausu_fake>", "USAN001")
    inc = _click(slack_app, fake_slack, reply, action_id, "UGA0001")
    [opened] = fake_slack.wait_for("views.open")
    view = opened.params["view"]
    shown = _modal_text(view)
    assert marker in shown and "@urausu_fake" in shown and "https://x.com/urausu_fake" in shown
    assert "0125-68-2111" in shown and wareki(inc.created) in shown and "```" in shown
    assert json.loads(view["private_metadata"]) == {"incident": inc.id, "kind": kind}
    # never posted: the only messages are the report offer and the reply (no ephemeral or response_url carries the draft)
    before = len(fake_slack.calls_to("chat.postMessage"))
    fake_slack.assert_no_more("chat.postMessage", before)
    assert not any(marker in json.dumps(c.params) for c in fake_slack.calls_to("chat.postMessage"))
    for call in fake_slack.calls:
        if call.method != "views.open":
            assert marker not in call.text_everywhere

    # 総務課 corrects the account name: stored before the ack, the modal shows the new draft
    submission = payloads.view_submission(view, {"notice_account": {"name": {"type": "plain_text_input",
                                                                             "value": "浦臼町公式（偽）"}}}, user="UGA0001")
    ack = slack_app.interactive(submission)
    assert ack.status == 200 and ack.payload["response_action"] == "update"
    assert "アカウント名：浦臼町公式（偽）" in _modal_text(ack.payload["view"])
    assert notices.saved_account(inc.id) == "浦臼町公式（偽）"
    assert "浦臼町公式（偽）" in notices.render(kind, inc.id)


def test_staff_outside_general_affairs_are_told_politely(slack_app, fake_slack, directory_file):
    reply = _report_reply(slack_app, fake_slack, "Xで町の偽アカウントを見つけました https://x.com/urausu_fake", "USAN001")
    _click(slack_app, fake_slack, reply, "notice_website", "USAN001")
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert eph.params["user"] == "USAN001" and "総務課の方だけが見られます" in eph.params["text"]
    fake_slack.assert_no_more("views.open", 0)


def test_a_submission_by_someone_else_changes_nothing(slack_app, fake_slack, directory_file):
    reply = _report_reply(slack_app, fake_slack, "Xで町の偽アカウントを見つけました https://x.com/urausu_fake", "USAN001")
    inc = _click(slack_app, fake_slack, reply, "notice_press", "UGAHEAD")
    [opened] = fake_slack.wait_for("views.open")
    forged = payloads.view_submission(opened.params["view"], {"notice_account": {"name": {"type": "plain_text_input",
                                                                                        "value": "改ざん"}}}, user="USAN002")
    ack = slack_app.interactive(forged)
    assert ack.payload["response_action"] == "errors"
    assert notices.saved_account(inc.id) == ""


def test_no_draft_buttons_on_other_types(slack_app, fake_slack, directory_file):
    reply = _report_reply(slack_app, fake_slack, "町の投稿が炎上しています", "USAN001")
    assert "notice_website" not in json.dumps(reply.params["blocks"])
