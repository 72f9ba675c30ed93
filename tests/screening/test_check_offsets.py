"""Offsets refer to the original draft: text[start:end] == excerpt, whatever the width or extra characters."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.screening import check
from bot.screening.normalize import DraftText

PIECES = [
    "携帯は０８０ー１１１１ー２２２２です。",
    "マイナンバーは９８７６５４３２１０９３。",
    "ﾃﾚﾋﾞ番組のｷｬﾌﾟﾁｬ画像を載せます。",
    "噂によると",
    "https://blog.example.org/me ",
    "窓口に来た高橋一郎さん",
    "浦臼町字ｷﾅｳｽﾅｲ４５番地にお住まい",
    "卑わいな",
    "😀👨‍👩‍👧",
    "\u0000\u0007\u200b\ufeff",
    "㈱浦臼　①②③",
    "ｶﾞｷﾞｸﾞ",
    "\n\t ",
    "普通の文です。",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=10))
def test_every_excerpt_is_the_original_text_at_its_offsets(parts):
    text = "".join(parts)
    verdict = check(text)
    for f in verdict.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.excerpt


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_normalized_copy_maps_back_inside_the_text(text):
    doc = DraftText(text)
    for i in range(len(doc.norm)):
        s, e = doc.span(i, i + 1)
        assert 0 <= s < e <= len(text)


def test_full_width_and_half_width_katakana_offsets():
    text = "😀ﾃﾞｰﾀ：携帯は０８０ー１１１１ー２２２２、ﾃﾚﾋﾞのｷｬﾌﾟﾁｬ画像を載せます。"
    verdict = check(text)
    excerpts = {f.category: f.excerpt for f in verdict.findings}
    assert excerpts["phone"] == "０８０ー１１１１ー２２２２"
    assert "ｷｬﾌﾟﾁｬ" in excerpts["copyright"]
    for f in verdict.findings:
        assert text[f.start : f.end] == f.excerpt
