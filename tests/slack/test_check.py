"""Check in Slack, end to end in both modes: /sns-check with text, the modal, the message shortcut.
The draft is shown only to its author and never stored."""


import pytest

from bot.screening import Finding, Verdict
from bot.slack import flows
from tests.fakeslack import payloads as P
from tests.slack.checkflow import DRAFT, PHONE, check_submission, json_text, no_public_draft


def _bold(blocks) -> list[str]:
    return [e["text"] for b in blocks if b["type"] == "rich_text" for s in b["elements"] for e in s["elements"]
            if e.get("style", {}).get("bold")]


def test_sns_check_with_text_answers_ephemerally(slack_app, fake_slack, seen, bot_db):
    ack = slack_app.command(P.slash_command("/sns-check", DRAFT, fake_slack.response_url()))
    assert ack.status == 200 and not (ack.payload or {}).get("text")  # the ack itself shows nothing
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == (P.CHANNEL, P.STAFF)
    blob = json_text(call.params["blocks"])
    assert "このままでは投稿できません" in blob and "【6(2)】禁止事項" in blob
    assert "個人の電話番号が含まれています。" in blob and "電話番号を削除してください。" in blob
    assert _bold(call.params["blocks"]) == [PHONE]
    assert seen == [(DRAFT, "official")]
    no_public_draft(fake_slack)
    for path in bot_db.parent.glob("bot.db*"):
        assert PHONE.encode() not in path.read_bytes()


def test_slack_escapes_are_undone_before_checking(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", "A &amp; B &lt;3 <https://example.jp|example.jp>", fake_slack.response_url()))
    fake_slack.wait_for("chat.postEphemeral")
    assert seen == [("A & B <3 https://example.jp", "official")]


def test_sns_check_without_text_opens_the_modal(slack_app, fake_slack, seen):
    form = P.slash_command("/sns-check", "", fake_slack.response_url())
    slack_app.command(form)
    [call] = fake_slack.wait_for("views.open")
    assert call.params["trigger_id"] == form["trigger_id"]
    view = call.params["view"]
    assert view["type"] == "modal" and view["callback_id"] == "check_modal"
    [draft] = [b for b in view["blocks"] if b.get("block_id") == "draft"]
    assert draft["element"]["type"] == "plain_text_input" and draft["element"]["multiline"] is True
    [account] = [b for b in view["blocks"] if b.get("block_id") == "account"]
    assert [o["value"] for o in account["element"]["options"]] == ["official", "private"]
    assert seen == []


def test_modal_submission_shows_the_result_in_the_modal(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    ack = slack_app.interactive(check_submission(opened.params["view"], DRAFT, "private"))
    assert ack.status == 200 and ack.payload["response_action"] == "update"
    assert "確認しています" in json_text(ack.payload["view"])
    [update] = fake_slack.wait_for("views.update")
    assert update.params["view_id"] == "V0MODAL"
    blocks = update.params["view"]["blocks"]
    assert "私的なアカウント" in json_text(blocks) and _bold(blocks) == [PHONE]
    assert seen == [(DRAFT, "private")]
    no_public_draft(fake_slack)


def test_empty_modal_submission_is_refused_with_an_error(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    ack = slack_app.interactive(check_submission(opened.params["view"], "  \n ", "official"))
    assert ack.payload == {"response_action": "errors", "errors": {"draft": "下書きを入力してください。"}}
    fake_slack.assert_no_more("views.update", 0, settle=0.2)
    assert seen == []


def test_message_shortcut_checks_the_message_for_the_requester_only(slack_app, fake_slack, seen):
    slack_app.interactive(P.message_shortcut("check_message", DRAFT, fake_slack.response_url(), user="U0OTHER"))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == (P.CHANNEL, "U0OTHER")
    assert _bold(call.params["blocks"]) == [PHONE] and "投稿前チェック" in call.params["text"]
    assert seen == [(DRAFT, "official")]
    no_public_draft(fake_slack)


def test_shortcut_where_the_bot_is_not_a_member_falls_back_to_response_url(slack_app, fake_slack, seen):
    fake_slack.fail_next("chat.postEphemeral", "channel_not_found")
    slack_app.interactive(P.message_shortcut("check_message", DRAFT, fake_slack.response_url()))
    [resp] = fake_slack.wait_for("response_url")
    assert resp.params["response_type"] == "ephemeral" and _bold(resp.params["blocks"]) == [PHONE]
    no_public_draft(fake_slack)


def test_shortcut_on_a_message_without_text(slack_app, fake_slack, seen):
    slack_app.interactive(P.message_shortcut("check_message", "", fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert "本文がありません" in json_text(call.params)
    assert seen == []


def test_the_real_check_runs_end_to_end(slack_app, fake_slack):
    slack_app.command(P.slash_command("/sns-check", "こんにちは。今日は町のお祭りです。", fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert "投稿前チェック" in call.params["text"]


@pytest.fixture
def many_findings(monkeypatch):
    """A check that finds every phone number (a long draft gives more findings than fit one message)."""

    def fake_check(text, account="official"):
        findings, start = [], text.find(PHONE)
        while start >= 0:
            findings.append(Finding(clause="6(2)", category="personal_info", severity="block", start=start,
                                    end=start + len(PHONE), excerpt=PHONE, message="個人の電話番号が含まれています。" * 60,
                                    suggestion="電話番号を削除してください。"))
            start = text.find(PHONE, start + 1)
        return Verdict("block" if findings else "ok", findings)

    monkeypatch.setattr(flows, "check", fake_check)


def test_long_result_fits_slack_limits_and_loses_no_finding(slack_app, fake_slack, many_findings):
    """The fake Slack refuses what real Slack would (50 blocks, 3,000 characters): every page is accepted."""
    draft = "".join(f"{i}件目の連絡先は{PHONE}です。" for i in range(40))
    slack_app.command(P.slash_command("/sns-check", draft, fake_slack.response_url()))
    fake_slack.wait_for("chat.postEphemeral", count=2)  # more than one message
    fake_slack.wait_for("chat.postEphemeral", where=lambda c: "総務課" in json_text(c.params["blocks"][-1]))  # the last page
    pages = fake_slack.calls_to("chat.postEphemeral")
    assert sum(len(_bold(c.params["blocks"])) for c in pages) == 40
    assert not fake_slack.refusals
    # the modal: at most 100 blocks, and it says how many findings were left out
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    slack_app.interactive(check_submission(opened.params["view"], draft, "official"))
    [update] = fake_slack.wait_for("views.update")
    blocks = update.params["view"]["blocks"]
    shown = len(_bold(blocks))
    assert len(blocks) <= 100 and 0 < shown <= 40
    if shown < 40:
        assert f"{40 - shown}" in json_text(blocks)
    assert not fake_slack.refusals
