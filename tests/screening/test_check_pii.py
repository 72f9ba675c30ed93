"""Japanese PII done right: phone numbers, My Number, addresses, names; and what is not PII."""

import pytest

from bot.screening import check
from bot.screening.detectors import my_number_check_digit_ok


def _phones(text, account="official"):
    return [f for f in check(text, account).findings if f.category == "phone"]


@pytest.mark.parametrize(
    "draft,number",
    [
        ("携帯は080-1111-2222です。", "080-1111-2222"),
        ("携帯は０９０－１２３４－５６７８です。", "０９０－１２３４－５６７８"),  # full-width digits and dash
        ("携帯は０７０ー１２３４ー５６７８です。", "０７０ー１２３４ー５６７８"),  # katakana ー as separator
        ("携帯は090 1234 5678です。", "090 1234 5678"),
        ("携帯は09012345678です。", "09012345678"),
        ("私の番号は050‐1234‐5678です。", "050‐1234‐5678"),  # IP phone, U+2010 hyphen
        ("自宅は011−231−4111です。", "011−231−4111"),  # U+2212 minus
        ("携帯は090・1234・5678です。", "090・1234・5678"),  # middle dot
        ("携帯は０９０･１２３４･５６７８です。", "０９０･１２３４･５６７８"),  # half-width middle dot, full-width digits
        ("携帯は090.1234.5678です。", "090.1234.5678"),  # full stops
        ("携帯は０９０（１２３４）５６７８です。", "０９０（１２３４）５６７８"),  # full-width brackets
    ],
)
def test_phone_numbers_in_any_width_and_separator_are_found(draft, number):
    found = _phones(draft)
    assert [f.excerpt for f in found] == [number]
    assert found[0].severity == "block"
    assert draft[found[0].start : found[0].end] == number


@pytest.mark.parametrize("draft", ["フリーダイヤル 0120-123-456 へ", "ナビダイヤル 0570-064-370", "0800-123-4567 まで"])
def test_toll_free_and_navi_dial_are_business_numbers(draft):
    found = _phones(draft)
    assert len(found) == 1 and found[0].severity == "info"


def test_organisation_numbers_are_only_a_note_and_the_towns_own_number_is_silent():
    assert _phones("問合せ：浦臼町役場 総務課（電話 0125-68-2111）") == []
    assert _phones("代表 ０１２５－６８－２１１１") == []
    assert _phones("役場代表 0125・68・2111（平日 8:30〜17:15）") == []
    assert _phones("代表電話 0125.68.2111 まで") == []
    org = _phones("浦臼町社会福祉協議会（電話 0125-68-2200）")
    assert [f.severity for f in org] == ["info"]
    assert [f.severity for f in _phones("連絡は 0125-68-9999 まで")] == ["warn"]


@pytest.mark.parametrize(
    "draft",
    [
        "令和7年3月10日（月）10:00-12:00",
        "2025-03-10 に開催",
        "参加費 1,200円、定員120名",
        "予算額は約25億円（2,500,000,000円）です。",
        "受付番号 1234-5678-9012 の方",
        "第12回、午後3時30分から",
        "法人番号 1234567890123",
        "サーバーは 192.168.10.200 です",
        "バージョン 10.2.3.4567 に更新",
        "3.5・4.0・5.5 kmの3コース",
    ],
)
def test_dates_prices_counts_and_receipt_numbers_are_not_pii(draft):
    verdict = check(draft)
    assert [f for f in verdict.findings if f.category in ("phone", "my_number", "address")] == []


def test_my_number_check_digit():
    assert my_number_check_digit_ok("987654321093")
    assert my_number_check_digit_ok("123456789018")
    assert not my_number_check_digit_ok("987654321094")
    assert not my_number_check_digit_ok("12345678901")
    # remainder 0 or 1 gives check digit 0
    assert my_number_check_digit_ok("000000000000")


def test_my_number_with_label_or_valid_check_digit():
    labelled = check("個人番号：１２３４ ５６７８ ９０１０").findings  # invalid check digit, but labelled
    assert [(f.category, f.severity) for f in labelled] == [("my_number", "block")]
    unlabelled = check("番号は 987654321093 です").findings
    assert [(f.category, f.severity) for f in unlabelled] == [("my_number", "warn")]
    assert check("番号は 987654321094 です").findings == []  # no label, wrong check digit
    assert check("法人番号 9876543210931").findings == []  # 13 digits: a published corporate number


def test_address_of_a_resident_versus_a_public_facility():
    resident = [f for f in check("山田さんは浦臼町字晩生内12番地にお住まいです。").findings if f.category == "address"]
    assert resident and resident[0].severity == "block" and resident[0].excerpt == "浦臼町字晩生内12番地"
    facility = check("会場の町民会館（浦臼町字浦臼内181番地の10）までお越しください。")
    assert all(f.severity == "info" for f in facility.findings)
    town_hall = check("〒061-0600 北海道樺戸郡浦臼町字浦臼内183番地の15 浦臼町役場")
    assert town_hall.findings == []


def test_person_names_need_an_honorific_and_respect_public_roles():
    private = check("窓口に来た高橋一郎さんが書類を忘れました。").findings
    assert [(f.category, f.excerpt, f.severity) for f in private] == [("person_name", "高橋一郎さん", "block")]
    assert check("講師の山田花子氏による講演会を開きます。").findings == []
    assert check("高橋が担当します。").findings == []  # staff surname without honorific
    # a credit for a photo whose owner agreed to its publication
    assert check("表紙写真は、町内在住の村上さんからご提供いただき、掲載の許可を得たものです。").findings == []


def test_email_addresses():
    assert [f.severity for f in check("taro@gmail.com まで").findings] == ["block"]
    assert check("soumu@town.urausu.hokkaido.jp までお問い合わせください。").findings == []


@pytest.mark.parametrize("draft, excerpt", [
    ("連絡は taro(at)gmail.com まで", "taro(at)gmail.com"),
    ("連絡は taro [at] gmail.com まで", "taro [at] gmail.com"),
    ("連絡は taro＠gmail．com まで", "taro＠gmail．com"),  # full-width
    ("連絡は taro あっと gmail.com まで", "taro あっと gmail.com"),
    ("連絡は taroアットマークgmail.com まで", "taroアットマークgmail.com"),
    ("連絡は taro at gmail dot com まで", "taro at gmail dot com"),
    ("連絡は taro(at)gmail(dot)com まで", "taro(at)gmail(dot)com"),
])
def test_spelled_out_email_addresses_are_found(draft, excerpt):
    found = [f for f in check(draft).findings if f.category == "email"]
    assert [(f.excerpt, f.severity) for f in found] == [(excerpt, "block")]


@pytest.mark.parametrize("draft", [
    "soumu(at)town.urausu.hokkaido.jp までお問い合わせください。",  # the town's own, spelled out
    "集合は 10 at 役場前です。",
    "meet at noon in the hall.",
    "Look at this photo.",
    "会場は cafe at home です。",
    "Follow us at instagram.com/urausu_town",
])
def test_spelled_out_at_without_an_address_or_the_towns_own_is_not_flagged(draft):
    assert [f for f in check(draft).findings if f.category == "email"] == []


@pytest.mark.parametrize("draft", [
    "郵送は「〒061-0692 浦臼町字浦臼内183-15 浦臼町役場 住民課」宛てにお送りください。",
    "役場の所在地は、浦臼町字浦臼内183番地15です。",
    "北海道樺戸郡浦臼町字ウラウスナイ183の15（浦臼町役場）",
])
def test_the_town_address_in_other_formats_is_not_flagged(draft):
    assert check(draft).findings == []


def test_an_address_next_to_the_town_one_is_still_flagged():
    assert [f.category for f in check("鈴木さんの家は浦臼町字浦臼内183番地16です。").findings if f.category == "address"] == ["address"]
