"""Which messages open an incident, of which type, and which are questions left to Ask."""

from __future__ import annotations

import pytest

from bot.incidents import classify
from bot.incidents.urls import extract, normalize


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Xで町の偽アカウントを見つけました https://x.com/urausu_fake", "impersonation"),
        ("成りすましアカウントがあります", "impersonation"),
        ("町の公式アカウントを騙るアカウントがあります", "impersonation"),
        ("町を名乗る偽のツイッターアカウントがあります", "impersonation"),
        ("なりすましを発見しました。どうすればいいですか？", "impersonation"),
        ("インスタに町のニセモノのページが出回っています", "impersonation"),
        ("町の投稿が炎上しています", "flaming"),
        ("昨日の町の投稿に批判が殺到しています", "flaming"),
        ("コメント欄が荒れてます", "flaming"),
        ("町について否定的な記述がありました", "negative"),
        ("掲示板に町の悪口が書かれています", "negative"),
        ("町の悪い評判が広まっている", "negative"),
        ("町長が中傷されています <https://example.com/post/1|example.com/post/1>", "negative"),
        ("町の名前で偽アカウントが作られてしまった", "impersonation"),
        ("町の投稿が炎上してしまいました", "flaming"),
        ("浦臼町公式を名乗るインスタアカウントがあるようです", "impersonation"),
        ("町のロゴを使った偽のフェイスブックページを発見しました", "impersonation"),
        ("虚偽の投稿が広まっています", "negative"),
    ],
)
def test_reports_are_typed(text, expected):
    report = classify(text)
    assert report is not None, text
    assert report.type == expected


@pytest.mark.parametrize(
    "text",
    [
        "勤務中にSNSを見てもいい？",
        "なりすましって何ですか？",
        "偽アカウントを見つけたらどうすればいいですか",
        "なりすましを見つけたときの対応",
        "炎上した時にやってはいけないことは",
        "偽アカウントはありますか？",
        "SNSで町の悪口を書いてもいいですか",
        "否定的なコメントに反論してもいいですか",
        "炎上を防ぐにはどうしたらいいですか",
        "嘘の情報を投稿してしまった",  # one's own mistake: Ask answers with 8(3)①
        "個人アカウントで町の悪口を書いてしまいました",
        "なりすまし対策について教えて",
        "このURLの投稿は大丈夫ですか？ https://example.com/a",
        "",
        "   ",
        "<@U0BOT>",
        "🙂🙂🙂",
    ],
)
def test_questions_and_chatter_are_not_reports(text):
    assert classify(text) is None


def test_link_alone_is_a_report_about_the_town():
    report = classify("<@U0BOT> <https://x.com/someone/status/123>")
    assert report is not None and report.type == "negative"
    assert report.url == "https://x.com/someone/status/123"


def test_link_with_found_statement_is_a_report():
    report = classify("町についてこんな投稿がありました https://example.com/a")
    assert report is not None and report.url == "https://example.com/a"


def test_slack_wrapped_link_is_extracted_and_normalized():
    report = classify("偽物です <https://twitter.com/Urausu_Fake/?s=20&amp;t=abc|twitter.com/Urausu_Fake>")
    assert report is not None
    assert report.type == "impersonation"
    assert report.urls == ("https://x.com/urausu_fake",)


def test_explicit_report_is_always_opened():
    assert classify("この投稿を見てください", explicit=True).type == "negative"
    assert classify("なりすましって何ですか？", explicit=True).type == "impersonation"


def test_control_characters_and_huge_input_are_handled():
    text = "町の偽アカウント\x00を見つけました\x07" + "あ" * 50_000
    report = classify(text)
    assert report is not None and report.type == "impersonation"


def test_terms_come_from_knowledge(tmp_path, monkeypatch):
    """総務課 can add words: a new term in the knowledge file changes the classification."""
    from bot.config import REPO_KNOWLEDGE

    kdir = tmp_path / "knowledge"
    kdir.mkdir()
    for f in REPO_KNOWLEDGE.iterdir():
        if f.is_file():
            (kdir / f.name).write_bytes(f.read_bytes())
    monkeypatch.setenv("BOT_KNOWLEDGE", str(kdir))
    assert classify("町のロゴを勝手に使ったパロディ垢があります") is None
    path = kdir / "report_types.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"偽物",', '"偽物", "パロディ垢",'), encoding="utf-8")
    report = classify("町のロゴを勝手に使ったパロディ垢があります")
    assert report is not None and report.type == "impersonation"


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://x.com/urausu_fake", "https://twitter.com/Urausu_Fake/"),
        ("https://x.com/a/status/1", "http://mobile.twitter.com/a/status/1?s=20&t=xyz"),
        ("https://example.com/post?id=3", "HTTPS://Example.COM/post/?utm_source=line&id=3#top"),
        ("https://www.facebook.com/urausu.fake", "https://m.facebook.com/urausu.fake?fbclid=abc"),
    ],
)
def test_same_post_normalizes_to_one_url(a, b):
    assert normalize(a) == normalize(b) != ""


def test_different_posts_stay_different():
    assert normalize("https://example.com/Post") != normalize("https://example.com/post")
    assert normalize("https://youtube.com/watch?v=a") != normalize("https://youtube.com/watch?v=b")
    assert normalize("ftp://example.com/a") == ""


def test_plain_url_stops_at_japanese_text():
    urls, rest = extract("https://x.com/fake見つけました。")
    assert urls == ["https://x.com/fake"]
    assert "見つけました" in rest


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_segment = st.text(alphabet="abcXYZ019-_.~%", min_size=0, max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    host=st.sampled_from(["x.com", "Twitter.com", "www.example.com", "EXAMPLE.org", "m.facebook.com"]),
    path=st.lists(_segment, max_size=4),
    query=st.lists(st.tuples(st.sampled_from(["id", "utm_source", "s", "page", "fbclid"]), _segment), max_size=3),
    slash=st.booleans(),
)
def test_normalize_is_idempotent_and_ignores_tracking(scheme, host, path, query, slash):
    from urllib.parse import urlencode

    url = f"{scheme}://{host}/{'/'.join(path)}{'/' if slash else ''}"
    if query:
        url += "?" + urlencode(query)
    once = normalize(url)
    assert once and normalize(once) == once
    assert "utm_source" not in once and "fbclid" not in once
    assert once.startswith("https://") and "twitter.com" not in once
