"""bot.search.intent.classify: what a DM to Ask is. Long narrative questions stay questions; drafts stay drafts."""

import pytest

from bot.search.intent import DRAFT, GREETING, HELP, QUESTION, classify

# Scenario questions told as a story, without a question mark, that mention an announcement's words.
LONG_NARRATIVE_QUESTIONS = [
    # a request to the asker (「…と頼まれました」)
    "商工会の方から、町の公式インスタで会員のお店のセールのお知らせをストーリーに載せてほしいと頼まれました。"
    "お店のサイトには申し込みフォームもついています。",
    "隣町の観光協会から、合同イベントの申込ページへのリンクを町のXに固定してほしいと依頼されています。"
    "町も後援に入っているそうです。",
    "窓口で住民の方に、町のLINEで出した説明会のご案内について、締め切りが過ぎても申し込めるのか聞かれました。"
    "担当外なので分かりません。",
    # a hedge left open, or a question by its grammar
    "先週、町のFacebookで出した断水のお知らせに、日付の間違いがあると住民から連絡が来ました。もう直したのですが。",
    "休みの日に見たローカルの掲示板に、町の申し込み受付が不公平だという書き込みがありました。どう返せばいいのでしょう。",
    # terse queries
    "子ども会の遠足の申し込み締め切り",
    "公式アカウントのお知らせの予約投稿のやり方",
]

# Drafts pasted by mistake: they must still be offered a check.
DRAFTS = [
    "【お知らせ】町民文化祭を11月3日に開催します。詳しくは町ホームページをご覧ください。",
    "子ども会の遠足の申込締切：10月20日（月）、定員：40名",
    "図書館の冬休み読書会の参加申し込みを受け付けています。詳しくは図書館まで。\n皆さんのご参加をお待ちしています。",
    "住民の方からよく聞かれるので、お知らせします。資源ごみの収集日は毎月第2・第4水曜日です。出し忘れにご注意ください。",
    "来週の健康教室の件、担当 佐藤 090-1111-2222 までご連絡ください。",
    "今日は家族で町の秋祭りに行ってきました。朝から晴れて、会場の公園にはたくさんの人が来ていて、子どもたちは"
    "綿あめと金魚すくいに夢中でした。夕方には地元の太鼓の演奏もあって、久しぶりに見ましたが迫力がありました。"
    "夜は花火も上がって、本当にいい一日でした。来年もまた家族で来たいと思います。",
]


@pytest.mark.parametrize("text", LONG_NARRATIVE_QUESTIONS)
def test_long_narrative_questions_are_questions(text):
    assert classify(text) == QUESTION


@pytest.mark.parametrize("text", DRAFTS)
def test_drafts_stay_drafts(text):
    assert classify(text) == DRAFT


@pytest.mark.parametrize("text,kind", [("こんにちは", GREETING), ("使い方を教えて", HELP),
                                       ("勤務中にSNSを見てもいいですか", QUESTION), ("", QUESTION)])
def test_short_messages(text, kind):
    assert classify(text) == kind
