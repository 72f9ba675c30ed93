"""Links: the allowlist (town, Hokkaido, *.lg.jp, *.go.jp), third parties, unsuitable pages, internal hosts."""

import pytest

from bot.screening import check


def _links(text, account="official"):
    return [(f.clause, f.severity, f.excerpt) for f in check(text, account).findings]


@pytest.mark.parametrize(
    "draft",
    [
        "詳しくは https://www.town.urausu.hokkaido.jp/kurashi/ をご覧ください。",
        "（https://www.pref.hokkaido.lg.jp/）",
        "ｈｔｔｐｓ：／／ｗｗｗ．ｍａｆｆ．ｇｏ．ｊｐ／",  # full width
        "札幌市 https://www.city.sapporo.jp.lg.jp/ と気象庁 https://www.jma.go.jp/。",
    ],
)
def test_allowlisted_links_are_clean(draft):
    assert _links(draft) == []


def test_third_party_link_excerpt_stops_at_japanese_and_brackets():
    draft = "友人のブログ（https://blog.example.org/me）です"
    assert _links(draft) == [("7(1)③", "warn", "https://blog.example.org/me")]
    assert _links("www.example.com/page を見て") == [("7(1)③", "warn", "www.example.com/page")]


def test_lookalike_domain_is_not_allowlisted():
    assert _links("https://town.urausu.hokkaido.jp.example.com/") != []
    assert _links("https://eviltown.urausu-hokkaido.jp/") != []


def test_unsuitable_pages_and_internal_hosts():
    assert _links("話題のまとめサイトはこちら https://matome.example.net/") == [("6(10)", "block", "https://matome.example.net/")]
    assert _links("http://192.168.1.20/admin にログイン")[0][:2] == ("6(2)", "block")


def test_private_accounts_may_link():
    assert _links("https://blog.example.org/me", account="private") == []


def test_links_typed_without_a_scheme_are_found():
    assert _links("詳細はこちら bit.ly/3abcDEF") == [("7(1)③", "warn", "bit.ly/3abcDEF")]
    assert _links("写真は instagram.com/tomo_urausu に") == [("7(1)③", "warn", "instagram.com/tomo_urausu")]
    # the town's own host written bare stays clean, and an e-mail domain is not a link
    assert _links("町ホームページ（town.urausu.hokkaido.jp）をご覧ください。") == []
    assert all(c != "7(1)③" for c, _, _ in _links("申込は tanaka.urausu@gmail.com へ"))
    # numbers and versions with dots are not hosts
    assert _links("重さは3.5kg、令和6.10.1現在") == []
