"""Lemma matching: a rule's term (and its near / unless words) also matches inflected and keigo variants.

Each term is turned once, at load, into a sequence of Sudachi normalized forms (mode A, NFKC,
lower-cased); each sentence of the draft once per check (cached per sentence). A term matches where its
sequence appears contiguously in the sentence's. Folded so that politeness does not matter:
おる→いる, ござる→ある (でございます→です), いたす→する, 申す→言う, です→だ, ません/ぬ/ず→ない (ありません→ない),
させていただく→(する), てる→ている; nouns compare by normalized form and reading (噂/うわさ, but not
ばばあ/おばあちゃん). ます is optional in the draft but required where the term has it (載せます finds
載せさせていただきます, 開店しました does not find 開店した). Kept because they change the meaning: た (past),
negation, imperative / volitional / conditional forms, prefixes. A term that ended in folded politeness
must end a clause in the draft; a term of function words only, or cut mid-word, stays literal-only.
Literal matching is unchanged: this only adds matches.
"""

from __future__ import annotations

from functools import lru_cache

from bot.screening.normalize import normalize_term

MODE = "A"
_PLAIN = {"おる": "居る", "致す": "為る", "御座る": "有る", "申す": "言う", "申し上げる": "言う"}
# ます is optional in the draft but required when the term has it: 載せます finds 載せさせていただきます
# and 確定していない finds 確定しておりません, but 開店しました does not find 開店した. Not た: 公表しました
# (already public) is not 公表します.
_DROP_AUX = frozenset({"ます"})
POLITE = "polite"
_NEG = frozenset({"ず", "ぬ", "ない"})
_HUMBLE = frozenset({"頂く", "下さる"})
_CAUSATIVE = frozenset({"させる", "せる"})
# conjugation forms that change the meaning stay part of the lemma: 辞めろ is not 辞めます, 当選したら is
# not 当選した, 応援しましょう is not 応援します
_INFLECTING = frozenset({"動詞", "形容詞", "助動詞"})
_NO_READING = frozenset({"助詞", "補助記号", "空白", "記号"})
_FORMS = {"命令形": ":命令", "意志推量形": ":意志", "仮定形": ":仮定"}
# words with no content of their own: a sequence made only of these (しました, ことはございません) is
# too general to match by lemma
_FUNCTION_POS = frozenset({"助詞", "助動詞", "接尾辞", "接頭辞", "補助記号", "記号", "空白", "接続詞"})
_FORMAL_NOUNS = frozenset({"こと", "物", "所", "為", "訳", "筈", "様", "の", "方", "時"})


@lru_cache(maxsize=1)
def _sudachi():
    from sudachipy import SplitMode

    from bot.text import _dictionary

    return _dictionary(), SplitMode.A


@lru_cache(maxsize=4096)
def _pos(pos_id: int) -> tuple[str, ...]:
    return tuple(_sudachi()[0].pos_of(pos_id))


@lru_cache(maxsize=50_000)
def _norm(form: str) -> str:
    n = normalize_term(form)
    return _PLAIN.get(n, n)


def _morphemes(text: str):
    """(normalized form, pos, begin, end) of Sudachi mode-A morphemes, read straight from sudachipy with
    the same dictionary as bot.text.tokenize: the draft's sentences are on the hot path of every check."""
    from bot.text import _tokenizer

    _, mode = _sudachi()
    tok = _tokenizer()
    for start in range(0, len(text), 4000):  # Sudachi rejects very long inputs
        for m in tok.tokenize(text[start : start + 4000], mode):
            pos = _pos(m.part_of_speech_id())
            form = m.normalized_form()
            if pos[0] not in _INFLECTING and pos[0] not in _NO_READING:
                # same word in another script (噂/うわさ), not another word folded onto it (ばばあ/おばあちゃん: 婆)
                form = f"{form}/{m.reading_form()}"
            yield form, pos, start + m.begin(), start + m.end()


def _lemmas(text: str) -> list[tuple[str, int, int, tuple[str, ...], bool]]:
    """(lemma, begin, end, pos, kept) per token; dropped tokens stay in the list with kept=False
    (POLITE for ます)."""
    return _fold(_morphemes(text))


def _fold(morphemes) -> list[tuple[str, int, int, tuple[str, ...], bool]]:
    out: list[list] = []
    for normalized, pos, begin, end in morphemes:
        n = _norm(normalized)
        head = pos[0]
        keep = True
        form = _FORMS.get(pos[5].split("-")[0]) if head in _INFLECTING else None
        if head == "助動詞" and n in _DROP_AUX:
            if form == ":意志":  # しましょう is not する
                n, form = "ましょう", None
            else:
                keep = POLITE
        elif head == "助動詞" and n in ("だ", "です"):  # です = だ (案ですが is not 案が); でしょう = だろう
            n, form = ("だろう", None) if form == ":意志" else ("だ", form)  # 嫌なら keeps its 仮定形
        elif n == "有る" and head == "動詞" and (prev := _last_kept(out)) is not None and prev[0] == "だ" and normalized == "御座る":
            keep = False  # でございます = です
        elif head == "助動詞" and n in _NEG:
            n = "ない"
            prev = _last_kept(out)
            if prev is not None and prev[0] == "有る":  # ありません → ない (like 問題ない)
                prev[0], prev[2], keep = "無い", end, False
        elif head == "助動詞" and n in ("てる", "でる"):  # 決まってる = 決まっている
            out.append(["て", begin, begin + 1, pos, True])
            out.append(["居る", begin + 1, end, pos, True])
            continue
        elif head == "動詞" and n in _HUMBLE and len(out) >= 1 and out[-1][0] == "て":
            # させていただく / させてくださる: the humble form of the plain verb
            if len(out) >= 2 and out[-2][0] in _CAUSATIVE:
                out[-1][4] = keep = False
                prev = _last_kept(out[:-2])
                if prev is not None and prev[3][0] == "名詞":  # 掲載させていただく = 掲載する
                    out[-2][0] = "為る"
                else:
                    out[-2][4] = False
        out.append([n + (form or ""), begin, end, pos, keep])
    return [tuple(x) for x in out]


def _is_content(tok) -> bool:
    lemma, _b, _e, pos, _k = tok
    if pos[0] in _FUNCTION_POS or pos[1] == "非自立可能":
        return False
    return lemma.split(":")[0].split("/")[0] not in _FORMAL_NOUNS


def _last_kept(out: list[list]):
    for x in reversed(out):
        if x[4] is True:
            return x
    return None


def term_sequence(term: str) -> tuple[tuple[str, ...], bool, bool] | None:
    """How a knowledge-file term matches by lemma: (sequence, ends_clause, polite).

    ends_clause: the match must end a clause (the term ended in ます or folded politeness: 載せます is
    not 載せました, 内定した not 内定者). polite: the term has ます, so it is matched against the draft's
    sequence that keeps ます. None when literal matching must do: terms cut mid-word (決ま, ほぼ固ま:
    Sudachi reads a filler there) and terms of function words only (しました, ことはございません).
    """
    toks = _lemmas(normalize_term(term))
    if any(pos[0] in ("感動詞", "補助記号", "空白") for _, _, _, pos, _ in toks):
        return None
    kept = [t for t in toks if t[4]]
    if not any(_is_content(t) for t in kept if t[4] is True):
        return None
    last = toks[-1]
    # a term cut after a verb stem ("非公式に決ま") ends in a lone kana read as something else
    if len(last[0]) == 1 and last[3][0] not in ("助動詞", "助詞", "名詞", "接尾辞") and last[4] is True:
        return None
    return tuple(t[0] for t in kept), last[4] is not True, any(t[4] == POLITE for t in kept)


_CACHE: dict[str, tuple] = {}
_CACHE_MAX = 4096


def sentence_lemmas(sentence: str) -> tuple[tuple[tuple[str, int, int, bool], ...], ...]:
    """One normalized sentence as two lemma sequences, without and with ます (empty when it has no
    ます); each token is (lemma, begin, end, ends_clause). A token's end reaches over the politeness
    tokens dropped after it, so the excerpt shows 載せさせていただきます whole; ends_clause: nothing,
    punctuation, a final particle or a clause-joining particle follows. Cached per sentence."""
    return _tokenize_sentences([sentence])[sentence]


def _tokenize_sentences(sentences: list[str]) -> dict[str, tuple]:
    """sentence_lemmas of each sentence; the ones missing from the cache are joined into few Sudachi
    calls (each call has a fixed cost; sentences end in 。!? or a line break, so no morpheme crosses
    from one to the next). The cache lives in memory only, like the draft itself."""
    result: dict[str, tuple] = {}
    todo = []
    for x in dict.fromkeys(sentences):
        hit = _CACHE.get(x)
        if hit is None:
            todo.append(x)
        else:
            result[x] = hit
    if len(_CACHE) + len(todo) > _CACHE_MAX:
        _CACHE.clear()
    i = 0
    while i < len(todo):
        batch, size = [], 0
        while i < len(todo) and (not batch or size + len(todo[i]) <= 4000):
            batch.append(todo[i])
            size += len(todo[i])
            i += 1
        per: list[list] = [[] for _ in batch]
        starts, off = [], 0
        for x in batch:
            starts.append(off)
            off += len(x)
        k = 0
        for normalized, pos, begin, end in _morphemes("".join(batch)):
            while k + 1 < len(batch) and begin >= starts[k + 1]:
                k += 1
            b = starts[k]
            per[k].append((normalized, pos, begin - b, min(end - b, len(batch[k]))))
        for x, morphs in zip(batch, per):
            toks = _fold(morphs)
            plain = _sequence(x, toks, False)
            # without ます in the sentence no polite term can match
            result[x] = _CACHE[x] = (plain, _sequence(x, toks, True) if any(t[4] == POLITE for t in toks) else ())
    return result


def _sequence(sentence: str, toks, polite: bool) -> tuple[tuple[str, int, int, bool], ...]:
    out: list[list] = []
    for lemma, b, e, pos, keep in toks:
        if keep is True or (polite and keep == POLITE):
            if out:
                out[-1][3] = _ends_clause(lemma, pos)
            out.append([lemma, b, e, True])
        elif out:
            out[-1][2] = max(out[-1][2], e)
    for t in out:  # trailing whitespace is not part of a match
        if sentence[t[2] - 1].isspace():
            t[2] = t[1] + len(sentence[t[1] : t[2]].rstrip()) or t[2]
    return tuple(map(tuple, out))


def _ends_clause(following: str, pos: tuple[str, ...]) -> bool:
    if pos[0] in ("補助記号", "空白"):
        return True
    # が, けど, から, ので (の + だ); not て: 載せます is not 載せて
    return pos[0] == "助詞" and (pos[1] in ("終助詞", "準体助詞") or (pos[1] == "接続助詞" and following not in ("て", "で")))


def build_index(entries) -> tuple[dict, dict]:
    """From (sequence, ends_clause, polite, key): for plain and for polite terms, first lemma ->
    [(length, {sequence: [(ends_clause, key)]})]."""
    grouped: tuple[dict, dict] = ({}, {})
    for seq, tail, polite, key in entries:
        grouped[polite].setdefault(seq[0], {}).setdefault(len(seq), {}).setdefault(seq, []).append((tail, key))
    return tuple({first: sorted(by_len.items()) for first, by_len in g.items()} for g in grouped)


def find(index: tuple[dict, dict], text: str, sentence_starts: list[int]) -> dict:
    """Lemma matches of every indexed sequence in ``text`` (the normalized, masked draft), sentence by
    sentence; returns key -> [(start, end)] in ``text`` for an ``index`` from build_index."""
    found: dict = {}
    if not index or not (index[0] or index[1]):
        return found
    bounds = sentence_starts + [len(text)]
    spans = [(bounds[k], bounds[k + 1]) for k in range(len(sentence_starts))]
    spans = [(s, e) for s, e in spans if not text[s:e].isspace()]
    sequences = _tokenize_sentences([text[s:e] for s, e in spans])
    for s, e in spans:
        for toks, idx in zip(sequences[text[s:e]], index):
            if toks and idx:
                _find(idx, toks, s, found)
    return found


def _find(index: dict, toks, s: int, found: dict) -> None:
    lemmas = tuple(t[0] for t in toks)
    n = len(toks)
    for i, lemma in enumerate(lemmas):
        by_len = index.get(lemma)
        if not by_len:
            continue
        for length, seqs in by_len:
            j = i + length
            if j > n:
                break
            hits = seqs.get(lemmas[i:j])
            if not hits:
                continue
            # a plain term must not match its negation: 決まっている vs 決まっていない
            if j < n and lemmas[j].startswith("ない") and not lemmas[j - 1].startswith("ない"):
                continue
            span = (s + toks[i][1], s + toks[j - 1][2])
            for tail, key in hits:
                if tail and not toks[j - 1][3]:
                    continue
                found.setdefault(key, []).append(span)
