"""Check in Slack, end to end in both modes: 「確認しています…」 first for long or slow drafts, replaced by
the result; bad input (empty, blank, control characters, BOM, emoji, huge) through every surface gets one
polite line or is checked as the person sees it; the re-check path leaves no trace of the draft."""

import logging
import time

import pytest

from bot import store
from bot.slack import flows
from bot.slack.listeners import check_reply
from tests.fakeslack import payloads as P
from tests.slack.checkflow import DRAFT, PHONE, check_submission, json_text

LONG = DRAFT + "町の行事について、詳しくお知らせします。" * 60  # > 1,000 characters, < 2,000
CHECKING = "確認しています…"


@pytest.fixture
def slow(monkeypatch, seen):
    """The check takes 0.6 s; the placeholder shows after 0.2 s for short drafts."""
    monkeypatch.setattr(check_reply, "PLACEHOLDER_AFTER_S", 0.2)
    fast = flows.check

    def slow_check(text, account="official"):
        time.sleep(0.6)
        return fast(text, account)

    monkeypatch.setattr(flows, "check", slow_check)
    return seen


def _placeholder_then_result(calls):
    """The first response is 「確認しています…」 as a new ephemeral message, the next replaces it with the result."""
    first, second = calls[0], calls[1]
    assert CHECKING in json_text(first.params["blocks"]) and first.params["replace_original"] is False
    assert first.params["response_type"] == "ephemeral" and second.params["response_type"] == "ephemeral"
    assert second.params["replace_original"] is True and "【6(2)】" in json_text(second.params["blocks"])
    assert CHECKING not in json_text(second.params["blocks"])
    assert first.at <= second.at


def test_a_long_draft_shows_checking_first_then_the_result(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", LONG, fake_slack.response_url()))
    _placeholder_then_result(fake_slack.wait_for("response_url", count=2))
    fake_slack.assert_no_more("chat.postEphemeral", 0, settle=0.1)
    assert seen == [(LONG, "official")]


def test_a_long_message_via_the_shortcut_shows_checking_first(slack_app, fake_slack, seen):
    slack_app.interactive(P.message_shortcut("check_message", LONG, fake_slack.response_url()))
    _placeholder_then_result(fake_slack.wait_for("response_url", count=2))


def test_a_slow_check_shows_checking_after_a_moment(slack_app, fake_slack, slow):
    slack_app.command(P.slash_command("/sns-check", DRAFT, fake_slack.response_url()))
    _placeholder_then_result(fake_slack.wait_for("response_url", count=2))
    assert slow == [(DRAFT, "official")]


def test_a_quick_short_check_shows_no_placeholder(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", DRAFT, fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert CHECKING not in json_text(call.params)
    fake_slack.assert_no_more("response_url", 0, settle=0.3)


def test_a_recheck_replaces_the_result_with_checking_then_the_new_result(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", LONG, fake_slack.response_url()))
    first = fake_slack.wait_for("response_url", count=2)[1]
    [button] = [e for b in first.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    slack_app.interactive(P.block_actions(button["action_id"], button["value"], {"ts": P.ts()},
                                          fake_slack.response_url("again"), is_ephemeral=True, block_id="check_again"))
    placeholder, result = fake_slack.wait_for("response_url", count=2, where=lambda c: "/again-" in c.path)
    assert CHECKING in json_text(placeholder.params["blocks"]) and placeholder.params["replace_original"] is True
    assert result.params["replace_original"] is True and "私的なアカウントの投稿として" in json_text(result.params["blocks"])


def test_a_recheck_in_the_modal_shows_checking_then_the_result(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    ack = slack_app.interactive(check_submission(opened.params["view"], LONG))
    assert CHECKING in json_text(ack.payload["view"])  # the submission's ack already shows it
    [result] = fake_slack.wait_for("views.update")
    view = result.params["view"]
    [button] = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    slack_app.interactive(P.view_block_actions(view, button["action_id"], button.get("value"), block_id="check_again"))
    _, placeholder, again = fake_slack.wait_for("views.update", count=3)
    assert CHECKING in json_text(placeholder.params["view"]) and "私的なアカウントの投稿として" in json_text(again.params["view"])


def test_a_long_dm_draft_shows_checking_then_the_message_is_updated(slack_app, fake_slack, seen):
    slack_app.interactive(P.block_actions("check_dm_draft", LONG, {"ts": P.ts(), "blocks": []},
                                          fake_slack.response_url(), channel=P.DM, block_id="check_dm_draft"))
    [placeholder] = fake_slack.wait_for("chat.postMessage")
    assert CHECKING in json_text(placeholder.params["blocks"])
    [update] = fake_slack.wait_for("chat.update")
    assert update.params["ts"] == placeholder.response["ts"] and "【6(2)】" in json_text(update.params["blocks"])


# ---------------------------------------------------------------- bad input, every surface

NOTHING = "確認できる文章がありませんでした"


@pytest.mark.parametrize("text", ["\u0000\u0007", "\ufeff", "\ufeff \u200b\u0008 ", "\u200b\u200b"])
def test_a_command_with_nothing_readable_gets_one_polite_line(slack_app, fake_slack, seen, text):
    slack_app.command(P.slash_command("/sns-check", text, fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert len(call.params["blocks"]) == 1 and NOTHING in json_text(call.params)
    assert "指摘する箇所" not in json_text(call.params)
    assert seen == []


def test_a_blank_command_opens_the_modal(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", " \n\t ", fake_slack.response_url()))
    fake_slack.wait_for("views.open")
    assert seen == []


def test_bom_and_control_characters_are_dropped_emoji_kept(slack_app, fake_slack, seen):
    family = "👨\u200d👩\u200d👧"
    slack_app.command(P.slash_command("/sns-check", f"\ufeff{family} 連絡は\u0007{PHONE}\r\nまで🎉",
                                      fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    expected = f"{family} 連絡は{PHONE}\nまで🎉"
    assert seen == [(expected, "official")]
    [button] = [e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["value"] == expected
    bold = [e["text"] for b in call.params["blocks"] if b["type"] == "rich_text" for s in b["elements"]
            for e in s["elements"] if e.get("style", {}).get("bold")]
    assert bold == [PHONE]


def test_an_emoji_only_draft_is_checked(slack_app, fake_slack, seen):
    slack_app.interactive(P.message_shortcut("check_message", "🎉🎉🎉", fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert seen == [("🎉🎉🎉", "official")] and "3文字" in json_text(call.params["blocks"])


HUGE = "町の行事のお知らせです。" * 3400  # 40,800 characters


def test_a_huge_draft_gets_one_polite_line_on_every_message_surface(slack_app, fake_slack, seen):
    assert len(HUGE) > 40_000
    slack_app.command(P.slash_command("/sns-check", HUGE, fake_slack.response_url()))
    slack_app.interactive(P.message_shortcut("check_message", HUGE, fake_slack.response_url()))
    replies = fake_slack.wait_for("response_url", count=4)  # placeholder + its replacement, twice
    results = [c for c in replies if c.params["replace_original"]]
    assert len(results) == 2
    for call in results:
        assert len(call.params["blocks"]) == 1
        text = json_text(call.params["blocks"])
        assert "長すぎるため確認できませんでした（40,800文字）" in text and "20,000文字まで" in text
        assert HUGE[:100] not in text
    assert seen == []


@pytest.mark.parametrize("draft", ["   ", "\ufeff", "\u0000\u0001", "\n\n"])
def test_the_modal_refuses_nothing_readable_under_the_input(slack_app, fake_slack, seen, draft):
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    ack = slack_app.interactive(check_submission(opened.params["view"], draft))
    assert ack.payload == {"response_action": "errors", "errors": {"draft": "下書きを入力してください。"}}
    fake_slack.assert_no_more("views.update", 0, settle=0.2)
    assert seen == []


def test_a_recheck_button_without_its_draft_gets_one_polite_line(slack_app, fake_slack, seen):
    slack_app.interactive(P.block_actions("check_again_private", "", {"ts": P.ts()}, fake_slack.response_url(),
                                          is_ephemeral=True, block_id="check_again"))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert NOTHING in json_text(call.params)
    assert seen == []


# ---------------------------------------------------------------- privacy of the re-check path

SECRET = "窓口に来た高橋一郎さんは浦臼町字キナウスナイ45番地にお住まいです。合言葉ウラウス"


@pytest.fixture
def serve_log_policy():
    """The Slack libraries' loggers as `serve` sets them (bot/cli/serve.py): they log request bodies at DEBUG."""
    levels = {"slack_sdk": logging.WARNING, "slack_bolt": logging.WARNING, "bot.slack.web": logging.WARNING,
              "bot.slack.bolt": logging.ERROR, "bot.slack.socket": logging.INFO}
    before = {name: logging.getLogger(name).level for name in levels}
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    yield
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


def test_the_recheck_path_leaves_no_trace_in_db_files_or_logs(slack_app, fake_slack, bot_db, caplog, serve_log_policy):
    """The real check, the command, the re-check button and the modal re-check: the draft is in no log
    line (debug included, with `serve`'s policy for the Slack libraries, which log request bodies at
    DEBUG), in no database file, and in no message anyone else could see."""
    caplog.set_level(logging.DEBUG)
    store.db()
    slack_app.command(P.slash_command("/sns-check", SECRET, fake_slack.response_url()))
    [first] = fake_slack.wait_for("chat.postEphemeral")
    [button] = [e for b in first.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["value"] == SECRET
    slack_app.interactive(P.block_actions(button["action_id"], button["value"], {"ts": P.ts()},
                                          fake_slack.response_url(), is_ephemeral=True, block_id="check_again"))
    [again] = fake_slack.wait_for("response_url")
    [back] = [e for b in again.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    slack_app.interactive(check_submission(opened.params["view"], SECRET))
    [result] = fake_slack.wait_for("views.update")
    view = result.params["view"]
    [vbutton] = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    slack_app.interactive(P.view_block_actions(view, vbutton["action_id"], vbutton.get("value"), block_id="check_again"))
    fake_slack.wait_for("views.update", count=2)
    slack_app.interactive(P.block_actions(back["action_id"], back["value"], {"ts": P.ts()},
                                          fake_slack.response_url(), is_ephemeral=True, block_id="check_again"))
    fake_slack.wait_for("response_url", count=2)
    time.sleep(0.2)
    store.close_all()
    for needle in ("高橋一郎", "キナウスナイ", "合言葉ウラウス"):
        assert needle not in caplog.text
        for path in bot_db.parent.rglob("*"):
            if path.is_file():
                assert needle.encode("utf-8") not in path.read_bytes(), path
    for call in fake_slack.calls_to("chat.postMessage"):
        assert "高橋一郎" not in call.text_everywhere
    assert "findings" in caplog.text  # the check's counts were logged, so the log was captured


@pytest.fixture
def broken(monkeypatch):
    def crash(text, account="official"):
        raise RuntimeError("boom " + text)  # the message quotes the draft: it must not be logged

    monkeypatch.setattr(flows, "check", crash)


def test_a_crash_replaces_checking_with_an_apology_and_logs_no_draft(slack_app, fake_slack, broken, caplog):
    slack_app.command(P.slash_command("/sns-check", LONG, fake_slack.response_url()))
    placeholder, apology = fake_slack.wait_for("response_url", count=2)
    assert CHECKING in json_text(placeholder.params["blocks"])
    assert apology.params["replace_original"] is True and "処理中に問題が発生しました" in apology.params["text"]
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    slack_app.interactive(check_submission(opened.params["view"], DRAFT))
    [modal] = fake_slack.wait_for("views.update")
    assert "処理中に問題が発生しました" in json_text(modal.params["view"]) and CHECKING not in json_text(modal.params["view"])
    assert "check failed: RuntimeError" in caplog.text
    assert not [r for r in caplog.records if PHONE in r.getMessage()]
