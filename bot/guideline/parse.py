"""Parse a guideline written in the published style into Clauses.

The style (浦臼町 and many other municipalities): an untitled preamble (前文), numbered sections
(``１ 見出し``), items (``（１）``), subitems (``①``), points (``ア``) and a closing 附則. The same parser
reads the raw text extracted from the PDF (wrapped lines, page-break blank lines, indentation) and the
cleaned, one-paragraph-per-line text kept in ``knowledge/guideline.txt``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.guideline.model import Clause, Guideline


class GuidelineFormatError(ValueError):
    """The text is not a guideline in the published style; the message names the line."""


_WS = r"[ \t\u3000]"
_SECTION = re.compile(rf"^([0-9０-９]{{1,2}}){_WS}+(\S.*)$")
_ITEM = re.compile(rf"^[（(]([0-9０-９]{{1,2}})[）)]{_WS}*(\S.*)$")
_SUBITEM = re.compile(rf"^([\u2460-\u2473]){_WS}*(\S.*)$")  # ①..⑳
_KANA_ORDER = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_POINT = re.compile(rf"^([{_KANA_ORDER}]){_WS}+(\S.*)$")
_SUPPLEMENT = re.compile(rf"^附{_WS}*則$")

# A marker line whose rest is at least this long (and does not end a sentence) is the first line of a
# wrapped sentence, not a heading: published headings are short, body lines run to the page width.
_WRAPPED_LINE = 36
_SENTENCE_END = ("。", "」。")


def _num(s: str) -> int:
    return int(unicodedata.normalize("NFKC", s))


@dataclass
class _Node:
    id: str
    level: int  # 0 preamble/supplement, 1 section, 2 item, 3 subitem, 4 point
    heading: str
    line: int
    parent: _Node | None = None
    paragraphs: list[str] = field(default_factory=list)
    open_paragraph: bool = False  # last paragraph may continue on the next line

    def add_line(self, text: str, blank_before: bool) -> None:
        if self.paragraphs and self.open_paragraph:
            self.paragraphs[-1] += text
        elif self.paragraphs and not blank_before:
            # A line ending a sentence followed directly by more text: same paragraph.
            self.paragraphs[-1] += text
        else:
            self.paragraphs.append(text)
        self.open_paragraph = not text.endswith(_SENTENCE_END)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs) if self.paragraphs else self.heading


def _clean(line: str) -> str:
    line = line.replace("\r", "").replace("\ufeff", "").replace("\f", "")
    return line.strip(" \t\u3000")


def parse_guideline(text: str, name: str = "guideline") -> Guideline:
    """Parse ``text`` into a Guideline; raise GuidelineFormatError naming the line on bad structure."""
    if not text or not text.strip():
        raise GuidelineFormatError("ガイドラインの本文が空です。")
    nodes: list[_Node] = []
    doc_title = ""
    section: _Node | None = None
    item: _Node | None = None
    sub: _Node | None = None
    current: _Node | None = None
    last_section = 0
    blank_before = True
    seen: dict[str, int] = {}

    def start(node: _Node) -> _Node:
        if node.id in seen:
            raise GuidelineFormatError(
                f"{node.line}行目: 条項番号「{node.id}」が重複しています（最初は{seen[node.id]}行目）。"
            )
        seen[node.id] = node.line
        nodes.append(node)
        return node

    for lineno, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("#"):
            continue  # editor's comment in knowledge/guideline.txt
        line = _clean(raw)
        if not line:
            blank_before = True
            continue
        m_sec = _SECTION.match(line)
        if _SUPPLEMENT.match(line):
            section = item = sub = None
            current = start(_Node("附則", 0, "附則", lineno))
        elif (
            m_sec
            and last_section < _num(m_sec.group(1)) <= last_section + 3
            and len(m_sec.group(2)) <= 30
            and "。" not in m_sec.group(2)
        ):
            last_section = _num(m_sec.group(1))
            section = start(_Node(str(last_section), 1, _undouble(m_sec.group(2).strip()), lineno))
            item = sub = None
            current = section
        elif section is None and current is None and not doc_title and "。" not in line:
            doc_title = line  # the document's own title, before the preamble
        elif section is None and (current is None or current.id == "前文"):
            if current is None:
                current = start(_Node("前文", 0, "", lineno))
            current.add_line(line, blank_before)
        elif section is not None and (m := _ITEM.match(line)):
            item = _open(start, f"{section.id}({_num(m.group(1))})", 2, m.group(2), lineno, section)
            sub = None
            current = item
        elif section is not None and (m := _SUBITEM.match(line)):
            parent = item or section
            sub = _open(start, f"{parent.id}{m.group(1)}", 3, m.group(2), lineno, parent)
            current = sub
        elif section is not None and (m := _POINT.match(line)) and (sub or item):
            parent = sub or item
            current = _open(start, f"{parent.id}{m.group(1)}", 4, m.group(2), lineno, parent)
        elif current is None:
            raise GuidelineFormatError(f"{lineno}行目: 見出しの前に本文があります: {line[:30]}")
        else:
            current.add_line(line, blank_before)
        blank_before = False

    if not any(n.level == 1 for n in nodes):
        raise GuidelineFormatError(
            "番号付きの章（例: 「１ ソーシャルメディアの定義」）が見つかりません。公表された形式のガイドラインですか？"
        )
    return Guideline(name=doc_title or name, clauses=_to_clauses(nodes))


def _open(start, cid: str, level: int, rest: str, lineno: int, parent: _Node) -> _Node:
    """A marker line: its rest is a heading when short and unfinished, else the clause's first text line."""
    rest = rest.strip(" \t\u3000")
    if rest.endswith(_SENTENCE_END) or len(rest) >= _WRAPPED_LINE:
        node = start(_Node(cid, level, "", lineno, parent))
        node.add_line(rest, True)
    else:
        node = start(_Node(cid, level, _undouble(rest), lineno, parent))
    return node


def _undouble(heading: str) -> str:
    """PDF extraction sometimes repeats a heading: 「トラブル等への対応トラブル等への対応」."""
    half = len(heading) // 2
    if len(heading) % 2 == 0 and half >= 2 and heading[:half] == heading[half:]:
        return heading[:half]
    return heading


def _to_clauses(nodes: list[_Node]) -> list[Clause]:
    out = []
    for order, n in enumerate(nodes):
        sec = n
        while sec.parent is not None:
            sec = sec.parent
        p = n.parent
        parent_text = ""
        if p is not None:
            parent_text = f"{p.heading}\n{p.text}" if p.heading and p.paragraphs else p.text
        out.append(
            Clause(
                id=n.id,
                title=sec.heading if sec.level == 1 else n.id,
                # heading only when the clause also has body text; otherwise the heading *is* the text
                heading=n.heading if n.paragraphs and n.level > 0 else "",
                text=n.text,
                parent=p.id if p else "",
                parent_text=parent_text,
                order=order,
            )
        )
    return out


def render_guideline(g: Guideline) -> str:
    """Write a Guideline back in the published style, one paragraph per line (the knowledge/ format)."""
    blocks = [g.name]
    for c in g.clauses:
        paras = c.text.split("\n")
        if c.id == "前文":
            blocks += paras
        elif c.id == "附則":
            blocks += ["附則"] + paras
        elif c.heading:
            blocks += [f"{_marker(c.id)} {c.heading}"] + paras
        else:
            blocks += [f"{_marker(c.id)} {paras[0]}"] + paras[1:]
    return "\n\n".join(blocks) + "\n"


def _marker(cid: str) -> str:
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    if cid.isdigit():
        return cid.translate(wide)
    m = re.search(r"(\((\d+)\)|[\u2460-\u2473]|[ア-ン])$", cid)
    if not m:
        raise ValueError(f"not a clause id: {cid}")
    if m.group(2):
        n = m.group(2)
        return f"（{n.translate(wide) if len(n) == 1 else n}）"
    return m.group(1)
