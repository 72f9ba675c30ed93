"""A normalized copy of a draft for matching, with a map back to offsets in the original text.

Matching happens on NFKC text (full-width digits and letters become ASCII), lower-cased, with dash
variants unified to "-" (and katakana ー between digits, as in 080ー1111ー2222). Every character of the
copy remembers the original span it came from, so findings report ``text[start:end] == excerpt``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cached_property

# Dash-like characters that staff type as separators in numbers; all become "-".
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d")
_SENTENCE_END = frozenset("。!?\n")
_VOICING = ("\u3099", "\u309a")  # combining (semi-)voiced marks left by half-width katakana
_KATAKANA_DASH = re.compile(r"(?<=[0-9])ー(?=[0-9])")


_CACHE: dict[str, str] = {}


def normalize_char(ch: str) -> str:
    n = _CACHE.get(ch)
    if n is not None:
        return n
    if ch == "\n" or ch == "\t":
        n = ch
    elif unicodedata.category(ch)[0] == "C":  # control, format, surrogate, private use, unassigned
        n = " "
    else:
        n = unicodedata.normalize("NFKC", ch)
        low = n.lower()
        if len(low) == len(n):
            n = low
        if n in DASHES:
            n = "-"
    if len(_CACHE) < 50_000:
        _CACHE[ch] = n
    return n


def normalize_term(term: str) -> str:
    """The form a knowledge-file term is matched in (same rules as the draft copy)."""
    return DraftText(term).norm


class DraftText:
    """One draft: the original ``text``, its normalized copy ``norm`` and the offset map."""

    def __init__(self, text: str):
        self.text = text
        pieces = [normalize_char(ch) for ch in text]
        norm = "".join(pieces)
        if len(norm) == len(text) and "\u3099" not in norm and "\u309a" not in norm:
            self._starts = None  # one character each: offsets are the same in both strings
            self._ends = None
        else:
            norm = self._mapped(text, pieces)
        # katakana ー (or its half-width form) used as a separator between digits: 080ー1111ー2222
        if "ー" in norm:
            norm = _KATAKANA_DASH.sub("-", norm)
        self.norm = norm

    def _mapped(self, text: str, pieces: list[str]) -> str:
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, n in enumerate(pieces):
            if n in _VOICING and out:
                composed = unicodedata.normalize("NFC", out[-1] + n)
                if len(composed) == 1:
                    out[-1] = composed
                    ends[-1] = i + 1
                    continue
            for c in n:
                out.append(c)
                starts.append(i)
                ends.append(i + 1)
        self._starts = starts
        self._ends = ends
        return "".join(out)

    def span(self, ns: int, ne: int) -> tuple[int, int]:
        """Original offsets for the normalized span [ns, ne)."""
        if self._starts is None:
            return ns, max(ns, ne)
        if ne <= ns:
            return self._starts[ns], self._starts[ns]
        return self._starts[ns], self._ends[ne - 1]

    @cached_property
    def sentence_starts(self) -> list[int]:
        starts = [0]
        for i, c in enumerate(self.norm):
            if c in _SENTENCE_END and i + 1 < len(self.norm):
                starts.append(i + 1)
        return starts

    def sentence(self, pos: int) -> tuple[int, int]:
        """Normalized span of the sentence holding position ``pos``."""
        ss = self.sentence_starts
        k = bisect.bisect_right(ss, pos) - 1
        end = ss[k + 1] if k + 1 < len(ss) else len(self.norm)
        return ss[k], end

    def sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos) - 1

    def window(self, ns: int, ne: int, before: int, after: int, prev: bool = False) -> tuple[str, str]:
        """Text just before and after a span, within its sentence (and the one before it when ``prev``)."""
        s, e = self.sentence(ns)
        if prev and s > 0:
            s = self.sentence(s - 1)[0]
        return self.norm[max(s, ns - before) : ns], self.norm[ne : min(e, ne + after)]


URL_RE = re.compile(
    r"(?:https?://|www\.)[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+"
    # a bare host people type without a scheme (bit.ly/…, instagram.com/…): a common top-level domain,
    # not part of an e-mail address or a longer token
    r"|(?<![a-z0-9@._%+\-/:])(?:[a-z0-9][a-z0-9-]{0,62}\.)+"
    r"(?:com|net|org|info|biz|jp|io|ly|me|co|tv|app|blog|site|xyz|link|page|to|gl|gle|cc|tokyo)(?![a-z0-9@\-])"
    r"(?:/[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]*)?"
)
EMAIL_RE = re.compile(r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{0,63}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63}){0,8}\.[a-z]{2,24}")


def trim_url(url: str) -> str:
    """Drop punctuation that ends a sentence rather than the URL."""
    while url and url[-1] in ".,;:!?)]'":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url
