"""Terms also match their inflected and politeness variants (bot.screening.lemma): humble おる, ござる,
させていただく, kana spellings. Literal matching is unchanged; these drafts were missed before."""

import pytest

from bot.screening import check
from bot.screening.lemma import term_sequence


def _findings(text, category):
    return [f for f in check(text).findings if f.category == category]


@pytest.mark.parametrize("draft", [
    "学校の統合の件は、正式には決定しておりません。",  # term 決定していません
    "温泉施設を民営化するかどうか、まだ検討しているところでございますが、ほぼ決まったようなものです。",
])
def test_humble_variant_of_a_term_is_found(draft, flagged):
    assert "6(1)" in flagged(check(draft))


def test_humble_variant_of_a_politics_term_is_found(flagged):
    assert "6(5)" in flagged(check("〇〇党の候補を応援しておりますので、皆さまもぜひお力添えください。"))


def test_term_added_to_the_rules_file_matches_its_keigo_variant(knowledge_copy, flagged):
    rules = knowledge_copy / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + '\n[[rule]]\ncategory = "illegal"\nterms = ["許可を取っていません"]\n',
                     encoding="utf-8")
    assert "6(3)" in flagged(check("この写真の撮影は、所有者の許可を取っておりません。"))
    assert "6(3)" in flagged(check("この写真の撮影は、所有者の許可を取っていません。"))
    assert "6(3)" not in flagged(check("この写真の撮影は、所有者の許可を取っています。"))


def test_excerpt_of_a_lemma_match_is_the_original_text_on_mixed_width_text():
    text = "ＷＥＢ版（ｖ２）では、学校の統合は正式には決定しておりません。"
    [f] = _findings(text, "undecided")
    assert text[f.start:f.end] == f.excerpt
    assert f.excerpt == "決定しておりません"


def test_unless_word_in_keigo_still_suppresses():
    # 「公表しました」 cancels the finding; its humble form does too
    assert _findings("水道料金の値上げ予定です。", "undecided")
    assert not _findings("水道料金の値上げ予定を、本日公表しました。", "undecided")
    assert not _findings("水道料金の値上げ予定を、本日公表いたしました。", "undecided")


@pytest.mark.parametrize("term, variant, other", [
    ("噂", "うわさ", None),
    ("取っていません", "取っておりません", "取っています"),  # negation is kept
    ("載せます", "載せさせていただきます", "載せました"),  # tense is kept
    ("開店しました", "開店いたしました", "開店した"),  # a polite term does not match the plain form
    ("辞めろ", None, "辞めます"),  # the imperative is kept
    ("ばばあ", None, "おばあちゃん"),  # the same lemma in another reading is another word
])
def test_lemma_sequences(term, variant, other):
    from bot.screening.lemma import find, build_index
    from bot.screening.normalize import Doc

    seq = term_sequence(term)
    assert seq is not None
    index = build_index([(seq[0], seq[1], seq[2], "k")])

    def matches(text):
        doc = Doc(text + "。")
        return bool(find(index, doc.norm, doc.sentence_starts))

    assert matches(term)
    if variant:
        assert matches(variant)
    if other:
        assert not matches(other)


@pytest.mark.parametrize("term", ["非公式に決ま", "しました", "ことはございません"])
def test_terms_too_vague_for_lemmas_stay_literal(term):
    assert term_sequence(term) is None
