"""Turning Japanese text into search terms: Sudachi normalized forms of content words, compound parts,
and synonym groups from knowledge/synonyms.tsv."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import UserError
from bot.text import nfkc, tokenize

# Content words only; function words and very general words carry no meaning for search.
_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞")
_STOP = {
    "する", "為る", "ある", "有る", "在る", "いる", "居る", "なる", "成る", "こと", "事", "もの", "物", "よう", "様",
    "ため", "為", "とき", "時", "場合", "など", "等", "これ", "それ", "あれ", "どれ", "この", "その", "何", "なに",
    "いう", "言う", "できる", "出来る", "思う", "良い", "いい", "よい", "くれる", "もらう", "貰う", "ください",
    "下さい", "方", "ほう", "どう", "どの", "いかが", "如何", "ない", "無い", "おく", "置く", "みる", "見る",
    "行く", "いく", "来る", "くる", "しまう", "仕舞う", "てる", "です", "ます", "的", "上", "中", "内", "以下",
    "以外", "次", "掲げる", "当該", "とおり", "通り", "町", "浦臼町", "本", "各", "化", "性",
    # question words and generic requests
    "方法", "仕方", "やり方", "教える", "分かる", "わかる", "いつ", "何時", "どこ", "誰", "なぜ", "何故",
    "大丈夫", "平気", "駄目", "だめ", "問題", "必要", "可能", "べき", "うち", "今", "今日", "皆", "みんな",
    "日", "年", "月", "分", "回", "際", "役場", "役所", "町役場", "当町", "本町", "別", "つく", "付く", "就く", "基づく",
}


def _keep(tok) -> bool:
    if tok.pos[0] not in _POS or tok.pos[1] == "数詞":
        return False
    if tok.pos[0] == "接頭辞":
        return False
    return True


def _norm(term: str) -> str:
    return nfkc(term).lower()


@dataclass
class Synonyms:
    """Groups of interchangeable terms; each variant is matched as a sequence of normalized forms."""

    single: dict[str, list[str]] = field(default_factory=dict)  # normalized term -> group keys
    multi: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # token sequence -> group key
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group key -> its words (normalized)
    source: str = "synonyms.tsv"

    def group_of(self, word: str) -> str | None:
        """The key of the most specific group (fewest words) that lists ``word``, wherever in its row the
        word stands; None when no row lists it. Code refers to groups through this, never by their key,
        which depends on the row's first word."""
        w = _norm(word)
        found = [(len(words), n, key) for n, (key, words) in enumerate(self.groups.items()) if w in words]
        return min(found)[2] if found else None


def _seq(text: str) -> tuple[str, ...]:
    return tuple(_norm(t.normalized) for t in tokenize(text, "C") if t.pos[0] not in ("補助記号", "空白"))


def load_synonyms(text: str, path: Path | str = "synonyms.tsv") -> Synonyms:
    syn = Synonyms(source=str(path))
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        variants = [v.strip() for v in line.split("\t") if v.strip()]
        if len(variants) < 2:
            raise UserError(f"{path} {lineno}行目: 同義語は2語以上をタブで区切って書いてください。")
        key = f"≡{_norm(variants[0])}"
        syn.groups[key] = tuple(dict.fromkeys(syn.groups.get(key, ()) + tuple(_norm(v) for v in variants)))
        for v in variants:
            seq = _seq(v)
            forms = {_norm(v)}  # the variant also matches as one string (a compound split differently)
            if len(seq) == 1:
                forms.add(seq[0])
            elif seq:
                syn.multi.append((seq, key))
            for form in forms:
                keys = syn.single.setdefault(form, [])
                if key not in keys:
                    keys.append(key)
    syn.multi.sort(key=lambda m: -len(m[0]))
    return syn


def load_clause_terms(
    text: str, path: Path | str = "clause_terms.tsv", clause_ids: set[str] | None = None
) -> dict[str, list[str]]:
    """clause id TAB words staff use for it (separated by tabs or 、); ids must exist in ``clause_ids``."""
    out: dict[str, list[str]] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cid, _, rest = line.partition("\t")
        words = [w.strip() for w in rest.replace("、", "\t").split("\t") if w.strip()]
        if not cid.strip() or not words:
            raise UserError(f"{path} {lineno}行目: 「条項番号<TAB>語<TAB>語…」の形式で書いてください。")
        if clause_ids is not None and cid.strip() not in clause_ids:
            raise UserError(f"{path} {lineno}行目: 条項番号「{cid.strip()}」はガイドラインにありません。")
        out.setdefault(cid.strip(), []).extend(words)
    return out


class Analyzer:
    def __init__(self, synonyms: Synonyms):
        self.synonyms = synonyms
        # multi-word variants by their first form: a text is scanned once, not once per variant
        self._multi_at: dict[str, list[int]] = {}
        for j, (seq, _key) in enumerate(synonyms.multi):
            self._multi_at.setdefault(seq[0], []).append(j)

    def _terms(self, tok, n: str) -> list[str]:
        keys = self.synonyms.single.get(n) or self.synonyms.single.get(_norm(tok.surface))
        if keys:
            return keys  # one concept, one term: a synonym counts as its group(s) only
        if _keep(tok) and n not in _STOP and not (len(n) == 1 and tok.pos[2] == "助数詞可能"):
            return [n]
        return []

    def words(self, text: str) -> list[tuple[list[str], bool, bool]]:
        """Content words of ``text`` (split mode C): (search terms, is a noun, is an unknown compound).

        A word's terms are its normalized form or synonym group(s), plus, for an unknown compound noun,
        the terms of its parts (split mode A): 再任用職員 → 再 / 任用 / 職員. Multi-word synonym variants
        found in the text come last, as words of their own."""
        if not text:
            return []
        toks = tokenize(text, "C")
        norms = [_norm(t.normalized) for t in toks]
        out: list[tuple[list[str], bool, bool]] = []
        for t, n in zip(toks, norms):
            terms = self._terms(t, n)
            compound = False
            if t.pos[0] == "名詞" and len(t.surface) > 2 and not (terms and terms[0].startswith("≡")):
                parts = tokenize(t.surface, "A")
                if len(parts) > 1:
                    compound = True
                    for p in parts:
                        terms += [x for x in self._terms(p, _norm(p.normalized)) if x not in terms]
            if terms:
                out.append((terms, t.pos[0] == "名詞", compound))
        multi = self.synonyms.multi
        found = {j for i, n in enumerate(norms) for j in self._multi_at.get(n, ())
                 if tuple(norms[i : i + len(multi[j][0])]) == multi[j][0]}
        out.extend(([multi[j][1]], True, False) for j in sorted(found))  # in the variants' order, as before
        return out

    def terms(self, text: str) -> list[str]:
        """Search terms of ``text`` (see ``words``), flattened."""
        return [t for terms, _, _ in self.words(text) for t in terms]
