"""Words of the report knowledge as normalized token keys (shared by types.py, which reads the file, and
classify.py, which matches messages against it)."""

from __future__ import annotations

from bot.text import Token, nfkc, tokenize


def _key(tok: Token) -> str:
    return nfkc(tok.normalized).lower()


def _meaningful(tok: Token) -> bool:
    return tok.pos[0] not in ("空白",) and tok.surface.strip() != ""


def term_keys(term: str) -> tuple[str, ...]:
    """The normalized token sequence of a word or phrase from the knowledge file."""
    return tuple(_key(t) for t in tokenize(nfkc(term)) if _meaningful(t))
