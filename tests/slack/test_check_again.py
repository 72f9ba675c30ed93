"""Check in Slack, end to end in both modes: every result says what was checked and offers the other
account by one click (the draft travels only in the button value or the modal's private_metadata);
`/sns-check 私的 …` chooses the account."""


import pytest

from bot.slack import flows
from tests.fakeslack import payloads as P
from tests.slack.checkflow import DRAFT, check_submission, json_text, no_public_draft

CLEAN = "今日は町のお祭りです。みなさん、ぜひお越しください！"
PRIVATE_BUTTON, OFFICIAL_BUTTON = "私的なアカウントとして確認し直す", "公式アカウントとして確認し直す"


def _buttons(blocks) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def _check_again_button(blocks) -> dict:
    [button] = [e for e in _buttons(blocks) if e["action_id"].startswith("check_again_")]
    return button


def _click(slack_app, fake_slack, blocks, tag="click"):
    """Click the re-check button of an ephemeral result (as Slack sends it: no message, a response_url)."""
    button = _check_again_button(blocks)
    return slack_app.interactive(P.block_actions(button["action_id"], button.get("value", ""), {"ts": P.ts()},
                                                 fake_slack.response_url(tag), is_ephemeral=True,
                                                 block_id="check_again"))


def test_command_result_rechecks_as_private_then_back_to_official(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", DRAFT, fake_slack.response_url()))
    [first] = fake_slack.wait_for("chat.postEphemeral")
    button = _check_again_button(first.params["blocks"])
    assert button["text"]["text"] == PRIVATE_BUTTON and button["value"] == DRAFT
    assert _click(slack_app, fake_slack, first.params["blocks"]).status == 200
    [again] = fake_slack.wait_for("response_url")
    assert again.params["replace_original"] is True and again.params["response_type"] == "ephemeral"
    blob = json_text(again.params["blocks"])
    assert "私的なアカウントの投稿として" in blob and "【6(2)】" in blob
    assert _check_again_button(again.params["blocks"])["text"]["text"] == OFFICIAL_BUTTON
    assert seen == [(DRAFT, "official"), (DRAFT, "private")]
    _click(slack_app, fake_slack, again.params["blocks"], tag="back")
    [back] = fake_slack.wait_for("response_url", where=lambda c: "/back-" in c.path)
    assert "公式アカウントの投稿として" in json_text(back.params["blocks"])
    assert seen[-1] == (DRAFT, "official")
    no_public_draft(fake_slack)


def test_shortcut_result_offers_the_private_account(slack_app, fake_slack, seen):
    slack_app.interactive(P.message_shortcut("check_message", DRAFT, fake_slack.response_url()))
    [first] = fake_slack.wait_for("chat.postEphemeral")
    assert "下のボタンで確認し直せます" in json_text(first.params["blocks"])
    _click(slack_app, fake_slack, first.params["blocks"])
    [again] = fake_slack.wait_for("response_url")
    assert again.params["replace_original"] is True and "私的なアカウントの投稿として" in json_text(again.params["blocks"])
    assert seen == [(DRAFT, "official"), (DRAFT, "private")]
    no_public_draft(fake_slack)


def test_dm_draft_result_offers_the_private_account(slack_app, fake_slack, seen):
    slack_app.interactive(P.block_actions("check_dm_draft", DRAFT, {"ts": P.ts(), "blocks": []},
                                          fake_slack.response_url(), channel=P.DM, block_id="check_dm_draft"))
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert posted.params["channel"] == P.DM  # the DM with its author only
    _click(slack_app, fake_slack, posted.params["blocks"])
    [again] = fake_slack.wait_for("response_url")
    assert again.params["replace_original"] is True and "私的なアカウントの投稿として" in json_text(again.params["blocks"])
    assert seen == [(DRAFT, "official"), (DRAFT, "private")]


def test_modal_result_rechecks_in_the_modal(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    slack_app.interactive(check_submission(opened.params["view"], DRAFT, "official"))
    [result] = fake_slack.wait_for("views.update")
    view = result.params["view"]
    button = _check_again_button(view["blocks"])
    assert button["text"]["text"] == PRIVATE_BUTTON
    ack = slack_app.interactive(P.view_block_actions(view, button["action_id"], button.get("value"), block_id="check_again"))
    assert ack.status == 200
    [_, again] = fake_slack.wait_for("views.update", count=2)
    assert again.params["view_id"] == "V0MODAL"
    assert "私的なアカウントの投稿として" in json_text(again.params["view"]["blocks"])
    assert seen == [(DRAFT, "official"), (DRAFT, "private")]
    no_public_draft(fake_slack)


def test_a_modal_draft_too_long_for_a_button_travels_in_private_metadata(slack_app, fake_slack, seen):
    draft = DRAFT + "町の行事について、詳しくお知らせします。" * 110  # > 2,000 characters, < 3,000
    assert 2000 < len(draft) <= 3000
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    slack_app.interactive(check_submission(opened.params["view"], draft, "official"))
    result = fake_slack.wait_for("views.update", where=lambda c: "check_again" in json_text(c.params["view"]))[-1]
    view = result.params["view"]
    button = _check_again_button(view["blocks"])
    assert "value" not in button and view["private_metadata"] == draft
    slack_app.interactive(P.view_block_actions(view, button["action_id"], None, block_id="check_again"))
    fake_slack.wait_for("views.update", where=lambda c: "私的なアカウントの投稿として" in json_text(c.params["view"]))
    assert seen == [(draft, "official"), (draft, "private")]


def test_a_message_draft_too_long_for_a_button_opens_the_modal_instead(slack_app, fake_slack, seen):
    draft = DRAFT + "町の行事について、詳しくお知らせします。" * 110
    slack_app.command(P.slash_command("/sns-check", draft, fake_slack.response_url()))
    result = fake_slack.wait_for("response_url", where=lambda c: c.params.get("replace_original"))[-1]
    blocks = result.params["blocks"]
    assert "ボタンで私的なアカウントとして確認し直すことはできません" in json_text(blocks)
    assert not [e for e in _buttons(blocks) if e["action_id"].startswith("check_again_")]
    [button] = [e for e in _buttons(blocks) if e["action_id"] == "check_open_modal"]
    assert button["value"] == "private"  # the account only: the draft is not carried
    slack_app.interactive(P.block_actions("check_open_modal", button["value"], {"ts": P.ts()},
                                          fake_slack.response_url("open"), is_ephemeral=True, block_id="check_again"))
    [opened] = fake_slack.wait_for("views.open")
    [account] = [b for b in opened.params["view"]["blocks"] if b.get("block_id") == "account"]
    assert account["element"]["initial_option"]["value"] == "private"


@pytest.mark.parametrize("text, account, rest", [
    (f"私的 {DRAFT}", "private", DRAFT),
    (f"私的：{DRAFT}", "private", DRAFT),
    (f"私的なアカウントで {DRAFT}", "private", DRAFT),
    (f"公式 {DRAFT}", "official", DRAFT),
    (f"private {DRAFT}", "private", DRAFT),
    (DRAFT, "official", DRAFT),
    ("私的に思うことですが", "official", "私的に思うことですが"),  # no separator: the draft itself
])
def test_the_command_chooses_the_account_by_a_leading_word(slack_app, fake_slack, seen, text, account, rest):
    slack_app.command(P.slash_command("/sns-check", text, fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert seen == [(rest, account)]
    name = "私的なアカウント" if account == "private" else "公式アカウント"
    assert f"{name}の投稿として" in json_text(call.params["blocks"])
    other = OFFICIAL_BUTTON if account == "private" else PRIVATE_BUTTON
    assert _check_again_button(call.params["blocks"])["text"]["text"] == other


def test_the_account_word_alone_opens_the_modal_with_it_chosen(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", "私的", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    [account] = [b for b in opened.params["view"]["blocks"] if b.get("block_id") == "account"]
    assert account["element"]["initial_option"]["value"] == "private"
    assert seen == []


def test_command_help(slack_app, fake_slack, seen):
    slack_app.command(P.slash_command("/sns-check", "ヘルプ", fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    blob = json_text(call.params["blocks"])
    assert "/sns-check 私的 下書き" in blob and "確認し直せます" in blob
    assert seen == []


def _says_what_was_checked(blocks, account_name, chars, sentences):
    blob = json_text(blocks)
    assert "✅" not in blob
    assert "指摘する箇所は見つかりませんでした" in blob
    assert f"{account_name}の投稿として、{chars}文字・{sentences}文の下書きを確認しました" in blob
    assert "機械による確認の目安" in blob and "承認ではありません" in blob


def test_nothing_found_says_what_was_checked_on_every_surface(slack_app, fake_slack, seen):
    size = (len(CLEAN), 2)
    slack_app.command(P.slash_command("/sns-check", CLEAN, fake_slack.response_url()))
    [cmd] = fake_slack.wait_for("chat.postEphemeral")
    _says_what_was_checked(cmd.params["blocks"], "公式アカウント", *size)
    slack_app.interactive(P.message_shortcut("check_message", CLEAN, fake_slack.response_url()))
    [_, shortcut] = fake_slack.wait_for("chat.postEphemeral", count=2)
    _says_what_was_checked(shortcut.params["blocks"], "公式アカウント", *size)
    _click(slack_app, fake_slack, cmd.params["blocks"])
    [again] = fake_slack.wait_for("response_url")
    _says_what_was_checked(again.params["blocks"], "私的なアカウント", *size)
    slack_app.command(P.slash_command("/sns-check", "", fake_slack.response_url()))
    [opened] = fake_slack.wait_for("views.open")
    slack_app.interactive(check_submission(opened.params["view"], CLEAN, "private"))
    [modal] = fake_slack.wait_for("views.update")
    _says_what_was_checked(modal.params["view"]["blocks"], "私的なアカウント", *size)


def test_the_real_check_names_clause_title_reason_and_what_to_do(slack_app, fake_slack):
    """The real core: each finding carries its clause number with the guideline's title, why, and what to do."""
    draft = "担当者携帯：080-1111-2222 までご連絡ください。"
    slack_app.command(P.slash_command("/sns-check", draft, fake_slack.response_url()))
    [call] = fake_slack.wait_for("chat.postEphemeral")
    from bot.screening import check
    from bot.slack.flows import clause_titles

    verdict = check(draft)
    assert verdict.findings
    titles = clause_titles({f.clause for f in verdict.findings})
    blob = json_text(call.params["blocks"])
    for f in verdict.findings:
        assert titles[f.clause] and f"【{f.clause}】{titles[f.clause]}" in blob
        assert f.message in blob and "→ " in blob
    assert "機械による確認の目安" in blob


def test_every_clause_a_finding_can_name_has_a_title():
    """Whatever the core finds (any category, either account), the result can name the clause's title."""
    from bot.knowledge import current_pack
    from bot.screening.rules import knowledge
    from bot.slack.flows import clause_titles

    pack = current_pack()
    clauses = set()
    for cat in knowledge().categories.values():
        for cid in (cat.clause, cat.private_clause):
            resolved = pack.resolve(cid) if cid else None
            if resolved:
                clauses.add(resolved)
    titles = clause_titles(clauses)
    assert clauses and {c for c in clauses if not titles.get(c)} == set()


def test_what_carries_the_draft_for_a_recheck():
    from bot.slack.blocks.check import check_again_blocks, slack_length

    def kinds(draft, in_view=False):
        blocks, metadata = check_again_blocks("official", draft, in_view=in_view)
        button = [b for b in blocks if b.type == "actions"][0].elements[0]
        return button.action_id, button.value, metadata

    assert slack_length("あ" * 10) == 10 and slack_length("🎉") == 2 and slack_length('a"\n') == 5
    assert slack_length('a"\n', escaped=False) == 3
    assert kinds("あ" * 2000) == ("check_again_private", "あ" * 2000, "")
    assert kinds("🎉" * 1001) == ("check_open_modal", "private", "")  # 2,002 UTF-16 units: over the limit
    assert kinds("あ" * 2001, in_view=True) == ("check_again_private", None, "あ" * 2001)
    assert kinds("あ\n" * 1500, in_view=True) == ("check_again_private", None, "あ\n" * 1500)  # as the input counts
    assert kinds("あ" * 3001, in_view=True) == ("check_open_modal", "private", "")
    private_blocks, _ = check_again_blocks("private", "下書き")
    assert private_blocks[0].elements[0].action_id == "check_again_official"


def test_account_prefix_parsing():
    assert flows.split_account("私的 下書き") == ("private", "下書き")
    assert flows.split_account("  公式：下書き") == ("official", "下書き")
    assert flows.split_account("Private\n下書き") == ("private", "下書き")
    assert flows.split_account("私的") == ("private", "")
    assert flows.split_account("公式アカウントで新年のごあいさつ") == (None, "公式アカウントで新年のごあいさつ")
    assert flows.split_account("下書き 私的") == (None, "下書き 私的")
