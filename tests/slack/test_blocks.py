"""Block Kit rendering: limits respected without losing text, escaping, excerpt highlighting."""

import json

from bot.guideline import Clause
from bot.screening import Finding, Verdict
from bot.search import Answer, ScoredClause
from bot.slack.blocks import ask, check, common, home
from bot.slack.text import to_plain, without_mentions


def _clause(cid="6(2)", text="業務上知り得た個人情報や機密情報"):
    return Clause(id=cid, title="禁止事項", heading="", text=text, parent="6", parent_text="禁止事項は次に掲げるとおり")


def _texts(blocks):
    out = []
    for b in common.to_dicts(blocks):
        if b["type"] == "section":
            out.append(b["text"]["text"])
        elif b["type"] == "context":
            out += [e["text"] for e in b["elements"]]
    return out


def test_split_text_keeps_every_character_and_respects_the_limit():
    text = ("あ" * 1000 + "。\n") * 7 + "い" * 3500
    pieces = common.split_text(text)
    assert "".join(pieces) == text
    assert all(len(p) <= 3000 for p in pieces) and len(pieces) >= 3


def test_split_text_never_cuts_an_entity():
    text = "a" * 2997 + "&amp;" + "b" * 10
    pieces = common.split_text(text)
    assert "".join(pieces) == text
    assert not any(p.endswith(("&", "&a", "&am", "&amp")) for p in pieces)


def test_long_clause_is_split_across_sections_not_cut():
    long_text = "\n".join(f"第{i}項 " + "ソーシャルメディアの利用に当たっては注意する。" * 12 for i in range(40))
    assert len(long_text) > 9000
    answer = Answer("質問", True, [ScoredClause(_clause(text=long_text), 10.0)])
    blocks = ask.answer_blocks(answer, "質問")
    dicts = common.to_dicts(blocks)  # the models validate Slack's limits here
    sections = [b["text"]["text"] for b in dicts if b["type"] == "section"]
    assert all(len(s) <= 3000 for s in sections)
    assert long_text in "".join(sections)
    pages = common.paginate(blocks)
    assert all(len(p) <= 50 for p in pages)


def test_paginate_keeps_all_blocks_and_labels_continuations():
    blocks = common.text_blocks("x") * 120
    pages = common.paginate(blocks)
    assert all(len(p) <= 50 for p in pages)
    assert sum(len(p) for p in pages) == 120 + len(pages) - 1
    assert "続き 2/3" in _texts(pages[1])[0]


def test_answer_shows_id_title_verbatim_text_footer_and_buttons():
    c1, c2 = _clause(), _clause("7(1)③", "公的アカウントにおいて、他の利用者の投稿を引用すること")
    answer = Answer("個人情報を載せていい？", True, [ScoredClause(c1, 10), ScoredClause(c2, 3)])
    dicts = common.to_dicts(ask.answer_blocks(answer, "個人情報を載せていい？"))
    text = json.dumps(dicts, ensure_ascii=False)
    assert "【6(2)】禁止事項" in text and "業務上知り得た個人情報や機密情報" in text
    assert "【7(1)③】" in text  # every shown clause with its id and title (only clauses within the margin are shown)
    assert "総務課" in text and "http" not in text
    [actions] = [b for b in dicts if b["type"] == "actions"]
    assert {e["action_id"] for e in actions["elements"]} == {"feedback_up", "feedback_down"}
    question, ids = ask.parse_feedback_value(actions["elements"][0]["value"])
    assert question == "個人情報を載せていい？" and ids == ["6(2)", "7(1)③"]


def test_unanswered_answer_has_notice_and_no_buttons():
    answer = Answer("今日の天気は", False, notice="ガイドラインには定めがないようです。総務課にお問い合わせください。")
    dicts = common.to_dicts(ask.answer_blocks(answer, "今日の天気は"))
    assert not [b for b in dicts if b["type"] == "actions"]
    assert "定めがないようです" in json.dumps(dicts, ensure_ascii=False)


def test_feedback_value_fits_for_the_longest_question():
    value = ask.feedback_value("質" * 1000, ["8(3)②ア"] * 20)
    assert len(value) <= 2000
    assert ask.parse_feedback_value(value)[1] == ["8(3)②ア"] * 20


def test_user_text_cannot_broadcast_or_link():
    answer = Answer("q", False, notice="n")
    text = json.dumps(common.to_dicts(ask.answer_blocks(answer, "<!channel> <https://evil.example|押して>")), ensure_ascii=False)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def _verdict(draft, n=1):
    start = draft.index("090-1234-5678")
    f = Finding(clause="6(2)", category="personal_info", severity="block", start=start, end=start + 13,
                excerpt="090-1234-5678", message="個人の電話番号が含まれています。", suggestion="電話番号を削除してください。",
                related=["5(2)"])
    return Verdict("block", [f] * n)


def test_check_result_highlights_excerpt_with_clause_message_and_suggestion():
    draft = "明日の会議の件、担当の田中さん（090-1234-5678）に連絡してください。"
    dicts = common.to_dicts(check.check_blocks(_verdict(draft), draft, "official", {"6(2)": "禁止事項"}))
    text = json.dumps(dicts, ensure_ascii=False)
    assert "このままでは投稿できません" in text and "【6(2)】禁止事項" in text
    assert "個人の電話番号が含まれています。" in text and "電話番号を削除してください。" in text
    [rich] = [b for b in dicts if b["type"] == "rich_text"]
    bold = [e for e in rich["elements"][0]["elements"] if e.get("style", {}).get("bold")]
    assert [e["text"] for e in bold] == ["090-1234-5678"]
    assert "公式アカウント" in text


def test_check_view_never_exceeds_100_blocks_and_says_what_was_left_out():
    draft = "連絡先は090-1234-5678です。"
    blocks = check.check_blocks(_verdict(draft, 60), draft, "private", {}, max_blocks=100)
    assert len(blocks) <= 100
    assert any("表示しきれない指摘がほかに" in t for t in _texts(blocks))
    check.result_modal(blocks).to_dict()


def test_ok_verdict():
    text = json.dumps(common.to_dicts(check.check_blocks(Verdict("ok", []), "こんにちは", "private", {})), ensure_ascii=False)
    assert "指摘する箇所は見つかりませんでした" in text and "私的なアカウント" in text
    assert "✅" not in text and "機械による確認の目安" in text and "承認ではありません" in text


def test_home_view_explains_each_job_with_examples():
    view = home.home_view().to_dict()
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home"
    for needle in ("/sns-ask", "/sns-check", "投稿前チェック", "例:", "総務課"):
        assert needle in text


def test_slack_text_to_plain():
    assert to_plain("&lt;b&gt; &amp; <https://example.jp|example.jp> <@U123|tanaka> <!here>") == "<b> & https://example.jp @tanaka @here"
    assert without_mentions("<@U0BOT> 勤務中に見てもいい？") == "勤務中に見てもいい？"


def test_long_question_is_echoed_shortened_and_says_so():
    """The question repeated above the answer is a context text (Slack refuses over 3,000 characters)."""
    question = "勤務中に<SNS>&を見てもいいですか" * 400
    blocks = common.to_dicts(ask.answer_blocks(Answer(question=question, answered=False, clauses=[], notice="長すぎます"), question))
    echo = blocks[0]["elements"][0]["text"]
    assert len(echo) <= 3000
    assert f"全{len(question):,}文字" in echo and "最初の500文字" in echo
    short = common.to_dicts(ask.answer_blocks(Answer(question="短い質問", answered=False, clauses=[], notice=""), "短い質問"))
    assert short[0]["elements"][0]["text"] == "*ご質問:* 短い質問"


def test_home_view_explains_how_to_report_with_an_example():
    report = home.home_view().to_dict()["blocks"][7]["text"]["text"]
    assert "なりすまし" in report and "「なりすまし・炎上を報告」" in report
    assert "例: `@SNSガイドライン" in report and "https://" in report and "所属課局長" in report


def test_home_view_over_100_blocks_says_what_was_left_out():
    extra = [common.section(f"項目{i}") for i in range(120)]
    view = home.home_view(extra)
    assert len(view.to_dict()["blocks"]) == 100
    texts = _texts(view.blocks)
    assert "表示しきれない項目が 30 件あります" in " ".join(texts)
    assert texts[-1].startswith("ガイドラインの解釈")  # the footer stays
