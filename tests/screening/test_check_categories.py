"""Each kind of finding: drafts that must be flagged with their clause, and ordinary town posts that must not."""

import pytest

from bot.screening import check

POSITIVE = [
    # 6(1) undecided policies
    ("まだ確定していませんが、来年度から下水道料金が上がる見込みです。", "6(1)"),
    ("庁内で検討中の案ですが、町立保育所は統合される方向です。", "6(1)"),
    ("決裁前の計画ですが、先に皆さんにお伝えします。", "6(1)"),
    # 6(2) personal / confidential / security
    ("住民の渡辺さんが滞納している件で相談に来ました。", "6(2)"),
    ("まだ未公表の内部資料を添付します。", "6(2)"),
    ("事務室のドアコードは4821です。", "6(2)"),
    ("庁内サーバーは 10.0.3.15 で動いています。", "6(2)"),
    ("連絡は hanako.sato@yahoo.co.jp へ。", "6(2)"),
    ("問い合わせは担当の田中（tanaka.taro@example.com）まで。", "6(2)"),
    # 5(2) photos without consent
    ("参加者の顔がはっきり写った写真を、本人の許可なく載せます。", "5(2)"),
    # 6(3) illegal acts
    ("昨日は飲酒運転で帰ったけど、バレなかったよ。", "6(3)"),
    # 6(4) discrimination
    ("外国人は信用できないから雇うべきではない。", "6(4)"),
    ("障がい者は仕事の足手まといだ。", "6(4)"),
    # 6(5) politics / religion
    ("今度の選挙では〇〇候補に清き一票をお願いします。", "6(5)"),
    ("私たちの教団に入信すれば救われます。", "6(5)"),
    ("町民の皆さま、〇〇教の集会に参加しましょう。", "6(5)"),
    ("町議会で反対票を投じた山田議員は町の発展を妨げています。", "6(5)"),
    # 6(6) advertising
    ("知人の居酒屋が開店しました！クーポンはこちら。", "6(6)"),
    # 6(7) copyright
    ("ドラマのワンシーンをスクショして載せました。", "6(7)"),
    # 6(8) rumours
    ("駅前のスーパーが閉店するらしいです。", "6(8)"),
    ("町長が辞任するという噂を聞きました。", "6(8)"),
    # 6(9) obscene / abusive
    ("わいせつな画像を貼ります。", "6(9)"),
    ("文句ばかり言うやつは死ね。", "6(9)"),
    # 6(10) unsuitable links / content
    ("闇バイトの募集はこちら https://example.com/job", "6(10)"),
    # 7(1)③ third-party links
    ("詳しくは私のブログへ https://example-blog.net/post/1", "7(1)③"),
    # 5(3) / 7(2)① denial and rebuttal
    ("その書き込みは事実無根です。", "5(3)"),
    ("批判は的外れなので反論します。", "7(2)①"),
]

CLEAN = [
    "【休館のお知らせ】町民センターは設備点検のため3月10日（月）は休館します。",
    "問合せ先：浦臼町役場 総務課（電話 0125-68-2111）まで。",
    "浦臼町役場（浦臼町字浦臼内183番地の15）の駐車場は、投票日当日は混み合います。",
    "投票日のお知らせ：7月20日は参議院議員選挙の投票日です。期日前投票は役場で受け付けています。",
    "参加費は大人1,000円、定員は先着50名です。受付は9時30分から。",
    "飲酒運転は絶対にやめましょう。年末の交通安全運動にご協力ください。",
    "デマや噂に惑わされず、町ホームページで正確な情報をご確認ください。",
    "無断転載を禁止します。",
    "テレビで浦臼町のワインが紹介されました！",
    "デマンドバスのご予約は前日までにお電話ください。",
    "春らしい陽気の中、素晴らしいお祭りになりました。",
    "明日は大雪らしいので、皆さま暖かくしてお過ごしください。",
    # hearsay that is not passed on as fact: a fake-account warning, the town's own bulletin
    "役場を名乗る偽のLINEアカウントがあるらしいです。",
    "広報に載ってた説明会、来週あるらしいから聞きに行ってみます。",
    "カマキリの卵が高いところにあると雪が多い、というのは昔からの言い伝えらしい。",
    "町の公式アカウントを装った偽アカウントにご注意ください。事実と異なる内容を見かけたら総務課へご連絡ください。",
    "総合計画の素案を公開しました。まだ案の段階ですので、皆さまのご意見をお寄せください。",
    "先日の投稿で、参加者のお顔が分かる写真を掲載してしまいました。おわびして削除いたしました。",
    "講師に札幌大学の山田太郎教授をお迎えします。",
    "ごみの収集日が変わります。燃やせるゴミは月曜日です。",
    "除雪の詳細は https://www.town.urausu.hokkaido.jp/ をご覧ください。",
    "北海道の情報は https://www.pref.hokkaido.lg.jp/ で確認できます。",
    "町の公式YouTubeチャンネルで議会を中継しています。 https://www.youtube.com/@example",
    "パスワードは他人に教えないようにしましょう。",
    "写真は参加者の了承を得て掲載しています。",
    "日程は調整中です。決まり次第お知らせします。",
    "停電は本日中に復旧する見込みです。",
]


@pytest.mark.parametrize("draft,clause", POSITIVE)
def test_flags_prohibited_content_with_its_clause(draft, clause, flagged):
    verdict = check(draft)
    assert clause in flagged(verdict), [(f.clause, f.excerpt) for f in verdict.findings]
    assert verdict.verdict in ("warn", "block")


@pytest.mark.parametrize("draft", CLEAN)
def test_ordinary_town_posts_are_clean(draft, flagged):
    verdict = check(draft)
    assert flagged(verdict) == set(), [(f.clause, f.category, f.excerpt) for f in verdict.findings]
    assert verdict.verdict == "ok"


def test_one_passage_one_finding_other_clauses_go_to_related():
    verdict = check("まだ公表していない計画案をお見せします。")
    spans = [(f.start, f.end) for f in verdict.findings]
    for i, (s1, e1) in enumerate(spans):
        for s2, e2 in spans[i + 1 :]:
            assert e1 <= s2 or e2 <= s1, "overlapping findings"
    assert any("6(1)" in f.related or f.clause == "6(1)" for f in verdict.findings)


def test_denial_is_not_also_reported_as_a_rumour(flagged):
    clauses = flagged(check("それはデマです。"))
    assert "5(3)" in clauses and "6(8)" not in clauses


def test_verdict_follows_the_strongest_severity():
    assert check("マイナンバーは987654321093です。").verdict == "block"
    assert check("駅前のスーパーが閉店するらしいです。").verdict == "warn"
    assert check("本日は晴れです。").verdict == "ok"


def test_findings_explain_in_japanese():
    f = check("担当者携帯：080-1111-2222").findings[0]
    assert f.message and f.suggestion and f.category == "phone"
    assert "電話番号" in f.message
    assert f.related == ["5(2)"]


PRIVATE = [
    ("あの国の人たちは信用できない。", "8(3)②ア"),
    ("役場の職員が不祥事を起こしたという噂が流れています。", "8(3)②ウ"),
    ("卑わいな画像を投稿します。", "8(3)②エ"),
    ("文句ばかり言うやつは死ね。", "8(3)②オ"),
    ("昨日は飲酒運転で帰ったけど、バレなかったよ。", "8(3)②イ"),
    ("担当者携帯：080-1111-2222 までご連絡ください。", "8(2)①"),
    ("まだ確定していませんが、来年度から水道料金が上がる見込みです。", "8(2)②"),
    ("それはデマです。事実誤認も甚だしいので反論します。", "8(3)③"),
    ("勤務中だけど暇なのでこっそり投稿しています。", "8(1)⑤"),
]


@pytest.mark.parametrize("draft,clause", PRIVATE)
def test_private_account_cites_private_use_clauses(draft, clause, flagged):
    clauses = flagged(check(draft, account="private"))
    assert clause in clauses
    assert not any(c.startswith(("5", "6", "7")) for c in clauses)


def test_private_account_may_link_and_official_may_not(flagged):
    draft = "私の個人ブログはこちら→ https://blog.example.org/me"
    assert flagged(check(draft)) == {"7(1)③"}
    assert flagged(check(draft, account="private")) == set()


def test_work_hours_rule_is_only_for_private_accounts(flagged):
    assert "8(1)⑤" not in flagged(check("勤務中だけど暇なのでこっそり投稿しています。"))


def test_unknown_account_is_rejected():
    with pytest.raises(ValueError):
        check("こんにちは", account="team")
