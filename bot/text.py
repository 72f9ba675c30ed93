"""Japanese text handling shared by search and screening: Sudachi tokens and normalization."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sudachipy import Dictionary, SplitMode

_MODES = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}
_local = threading.local()


@dataclass(frozen=True)
class Token:
    surface: str
    normalized: str  # Sudachi normalized form: 成りすまし→成り済ます, ツイッター→Twitter
    dictionary: str
    pos: tuple[str, ...]
    begin: int  # character offsets in the tokenized (original) string
    end: int

    @property
    def is_person_name(self) -> bool:
        return self.pos[:3] == ("名詞", "固有名詞", "人名")


@lru_cache(maxsize=1)
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def _tokenizer():
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        d = _dictionary()
        tok = _local.tokenizer = d.tokenizer() if hasattr(d, "tokenizer") else d.create()
    return tok


def tokenize(text: str, mode: str = "C") -> list[Token]:
    """Sudachi morphemes of ``text`` (offsets refer to ``text`` itself)."""
    if not text:
        return []
    out = []
    # Sudachi rejects inputs above ~49,000 bytes; callers bound their input, but stay safe.
    for start in range(0, len(text), 4000):
        chunk = text[start : start + 4000]
        for m in _tokenizer().tokenize(chunk, _MODES[mode]):
            out.append(
                Token(
                    m.surface(),
                    m.normalized_form(),
                    m.dictionary_form(),
                    tuple(m.part_of_speech()),
                    start + m.begin(),
                    start + m.end(),
                )
            )
    return out


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def strip_controls(text: str) -> str:
    """Drop control characters except newline and tab (pasted text, broken payloads)."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
