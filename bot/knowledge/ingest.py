"""Ingest another town's guideline into a NEW pack folder (never the current one).

The new pack gets the guideline (UTF-8), a manifest with the town's name, the current pack's files that do
not depend on clause numbering (synonyms, screening rules and detectors, the directory example), the
current pack's clause-bearing files (categories, report types, clause terms) unchanged, and ``mapping.toml``:
for every clause the current pack refers to, the most similar clause of the new guideline (semantic
similarity, bot.semantics), ``confirmed = false``. Until 総務課 confirms an entry, Check and Report treat the
reference as not available for this guideline.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.guideline import Clause, Guideline, GuidelineFormatError, parse_guideline
from bot.knowledge.checks import CATEGORY_KEYS, split_ids, toml_values
from bot.knowledge.pack import MANIFEST, MAPPING, Pack, town_of
from bot.knowledge.read import KnowledgeError, parse_toml, read_text, tsv_rows

# Similarity = mean of the cosine of the clause texts (passages) and of their headings (or first lines).
# A proposal needs at least MIN_SIMILARITY and must beat the second-best clause by MARGIN, else the
# reference is listed as "does not map". Chosen by reading the proposals on the one pair we have
# (浦臼町 → 天城町, partial: 4 proposals, all right); 総務課 confirms every entry anyway.
MIN_SIMILARITY = 0.915
MARGIN = 0.04
# Files copied as they are (no clause numbers in them, or references kept and mapped).
COPIED = ("synonyms.tsv", "clause_terms.tsv", "directory.example.toml", "screening", "notices")
# Copied without: Ask's question examples and clause summaries describe the source town's clauses in its
# own words; they would be wrong here even when a clause number maps.
SKIPPED = ("examples", "clause_summaries.tsv")


@dataclass(frozen=True)
class Proposal:
    source: str
    source_label: str  # e.g. 6(2) 機密情報の取扱い
    target: str  # "" when nothing is similar enough
    target_label: str
    score: float
    used_by: tuple[str, ...]


def clause_label(c: Clause) -> str:
    first = (c.heading or c.text.split("\n")[0]).strip()
    return f"{c.id} {c.title}「{first[:30]}」" if c.title and c.title != first else f"{c.id}「{first[:30]}」"


def _heading(c: Clause) -> str:
    return (c.heading or c.text.split("\n")[0])[:60]


def references(pack: Pack) -> dict[str, list[str]]:
    """Every clause id the pack's files refer to → where (file and what), in first-seen order."""
    out: dict[str, list[str]] = {}

    def add(cid: str, where: str) -> None:
        if cid and where not in out.setdefault(cid, []):
            out[cid].append(where)

    cat = pack.path("screening") / "categories.toml"
    if cat.exists():
        for _n, table, _k, v in toml_values(read_text(cat, pack.label(cat)), CATEGORY_KEYS):
            add(v.strip(), f"{pack.label(cat)} [{table}]")
    rt = pack.path("report_types")
    if rt.exists():
        text = read_text(rt, pack.label(rt))
        data = parse_toml(text, pack.label(rt))
        for t in data.get("types", []):
            for cid in t.get("clauses", []):
                add(cid, f"{pack.label(rt)} {t.get('label') or t.get('id')}")
        for cid in data.get("do_not_rebut", []):
            add(cid, f"{pack.label(rt)} do_not_rebut")
    terms = pack.path("clause_terms")
    if terms.exists():
        for _n, cells in tsv_rows(read_text(terms, pack.label(terms), empty_ok=True)):
            add(cells[0].strip(), pack.label(terms))
    for path in sorted(pack.dir.glob("examples/questions/*.tsv")):
        for _n, cells in tsv_rows(read_text(path, pack.label(path), empty_ok=True)):
            for cid in split_ids(cells[1]) if len(cells) > 1 else []:
                add(cid, "examples/questions")
    return out


def propose(source: Pack, target: Guideline, embed: Callable | None = None) -> list[Proposal]:
    """The most similar clause of ``target`` for every clause ``source`` refers to."""
    refs = references(source)
    ids = [cid for cid in refs if source.guideline.get(cid)]
    candidates = [c for c in target.clauses if c.id not in ("前文", "附則")] or target.clauses
    if embed is None:
        from bot.semantics import embed
    import numpy as np

    src = [source.guideline.get(cid) for cid in ids]

    def vectors(clauses, what, kind):
        return np.asarray(embed([what(c) for c in clauses], kind=kind, cache=True))

    sims = np.zeros((len(src), len(candidates)))
    if src:
        texts = vectors(src, lambda c: c.text, "passage") @ vectors(candidates, lambda c: c.text, "passage").T
        heads = vectors(src, _heading, "query") @ vectors(candidates, _heading, "query").T
        sims = (texts + heads) / 2
    out = []
    for i, cid in enumerate(ids):
        order = np.argsort(-sims[i])
        best = float(sims[i][order[0]])
        second = float(sims[i][order[1]]) if len(order) > 1 else -1.0
        ok = best >= MIN_SIMILARITY and best - second >= MARGIN
        c = candidates[int(order[0])]
        out.append(Proposal(cid, clause_label(source.guideline.get(cid)), c.id if ok else "",
                            clause_label(c) if ok else "", best, tuple(refs[cid])))
    for cid in refs:  # referenced but not in the source guideline (a broken source pack): never maps
        if not source.guideline.get(cid):
            out.append(Proposal(cid, cid, "", "", 0.0, tuple(refs[cid])))
    return out


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_mapping(source: Pack, town: str, proposals: list[Proposal]) -> str:
    unmapped = [p for p in proposals if not p.target]
    lines = [
        f"# {source.town}の知識ファイルが使う条項番号と、{town}のガイドラインの条項との対応です（総務課が確認してください）。",
        "# 各 [clauses.\"番号\"] は、この知識フォルダのファイル（categories.toml、report_types.toml、clause_terms.tsv）に",
        f"# 書かれている{source.town}の条項番号です。to は意味の近さで自動的に選んだ{town}の条項の提案です。",
        "# 内容が合っていれば confirmed = true にしてください。違っていれば to を正しい条項番号に直すか、",
        "# 対応する条項がなければ to = \"\" のままにしてください。confirmed = true になるまで、その条項を使う",
        "# 確認（Check）や報告（Report）は「このガイドラインでは使えません」と表示し、条項は引用しません。",
        "# 直したら python -m bot knowledge check で確認できます。",
        "#",
        f"# 対応する条項が見つからなかったもの（{len(unmapped)} 件）:",
    ]
    lines += [f"#   {p.source_label}" for p in unmapped] or ["#   なし"]
    lines += ["", f"source_town = {_q(source.town)}", ""]
    for p in proposals:
        lines.append(f"[clauses.{_q(p.source)}]")
        lines.append(f"# {source.town}: {p.source_label}")
        lines.append(f"# 使われている所: {'、'.join(p.used_by)}")
        if p.target:
            lines.append(f"# 提案: {town} {p.target_label}（類似度 {p.score:.2f}）")
        else:
            lines.append(f"# 対応する条項が見つかりませんでした（最も近いものでも類似度 {p.score:.2f}）")
        lines.append(f"to = {_q(p.target)}")
        lines.append("confirmed = false")
        lines.append("")
    return "\n".join(lines)


def _report_types(source: Pack, town: str) -> str:
    """The source's report types with their clauses (mapped) and only the steps every town shares
    (the first and the last); the source's other steps come from its own guideline and are left as
    comments for 総務課 to restore or rewrite."""
    path = source.path("report_types")
    data = parse_toml(read_text(path, pack_label := source.label(path)), pack_label)
    out = [
        f"# 報告の種類と手順（{source.town}の内容をもとに作りました。総務課が{town}に合わせて直してください）。",
        f"# steps は、{source.town}のガイドラインに基づく手順をコメント（#）にしてあります。{town}で行う手順だけを",
        "# 戻すか書き直してください。clauses の条項番号は mapping.toml で確認された対応で引用されます。",
        "",
        f"do_not_rebut = [{', '.join(_q(c) for c in data.get('do_not_rebut', []))}]",
        "",
    ]
    for key in ("signals",):
        if isinstance(data.get(key), dict):
            out.append(f"[{key}]")
            for k, v in data[key].items():
                out.append(f"{k} = [{', '.join(_q(x) for x in v)}]")
            out.append("")
    for t in data.get("types", []):
        steps = list(t.get("steps", []))
        keep = [steps[0], steps[-1]] if len(steps) >= 2 else steps
        out += ["[[types]]", f"id = {_q(t['id'])}", f"label = {_q(t.get('label', t['id']))}",
                f"clauses = [{', '.join(_q(c) for c in t.get('clauses', []))}]", "steps = ["]
        out.append(f"  {_q(keep[0])},")
        out += [f"  # {_q(s)},  （{source.town}の手順）" for s in steps[1:-1]]
        if len(keep) > 1:
            out.append(f"  {_q(keep[-1])},")
        out.append("]")
        out.append(f"terms = [{', '.join(_q(x) for x in t.get('terms', []))}]")
        out.append("")
    return "\n".join(out)


def general_affairs_of(text: str) -> str:
    """The department the guideline sends things to: 総務課 when named, else the most named 〜課."""
    if "総務課" in text:
        return "総務課"
    found = re.findall(r"([一-龥ァ-ヴー]{1,6}課)(?:に|へ|と|が|は)", text)
    return max(set(found), key=found.count) if found else "総務課"


def _destination(dest: Path | None, town: str, stem: str) -> Path:
    if dest is not None:
        dest = dest.expanduser()
        if dest.exists() and any(dest.iterdir()):
            raise KnowledgeError(f"フォルダ {dest} はすでに使われています。空のフォルダか、まだないフォルダを指定してください。")
        return dest
    from platformdirs import user_data_dir

    from bot.config import APP_NAME

    base = Path(user_data_dir(APP_NAME, appauthor=False)) / "packs"
    name = town or re.sub(r"[^\w\-]", "_", stem) or "guideline"
    candidate, n = base / name, 2
    while candidate.exists():
        candidate, n = base / f"{name}-{n}", n + 1
    return candidate


@dataclass(frozen=True)
class Ingested:
    dir: Path
    guideline: Guideline
    town: str
    proposals: list[Proposal]


def ingest(path: Path, source: Pack, dest: Path | None = None, embed: Callable | None = None) -> Ingested:
    """Write a new pack for the guideline at ``path``, next to (never over) ``source``."""
    path = Path(path).expanduser()
    text = read_text(path, path.name)
    try:
        guideline = parse_guideline(text, name=path.stem)
    except GuidelineFormatError as err:
        msg = str(err)
        sep = " " if re.match(r"\d+行目: ", msg) else ": "
        raise KnowledgeError(f"{path.name}{sep}{msg}") from None
    title = guideline.name if guideline.name != path.stem else ""
    town = town_of(title)
    target = _destination(dest, town, path.stem)
    if target.resolve() == source.dir.resolve():
        raise KnowledgeError("今の知識フォルダには書き込めません。別のフォルダを指定してください。")
    proposals = propose(source, guideline, embed)
    target.mkdir(parents=True, exist_ok=True)
    try:
        (target / "guideline.txt").write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        for name in COPIED:
            src = source.dir / name
            if src.is_dir():
                shutil.copytree(src, target / name)
            elif src.is_file():
                shutil.copy2(src, target / name)
        (target / "report_types.toml").write_text(_report_types(source, town or "この町"), encoding="utf-8")
        (target / MANIFEST).write_text(
            "# この知識フォルダ（パック）の町の情報です（総務課が確認してください）。\n"
            f"# {path.name} から python -m bot index で作りました。\n"
            f"town = {_q(town or '町')}\n"
            f"guideline_title = {_q(title or path.stem)}\n"
            f"general_affairs = {_q(general_affairs_of(text))}\n",
            encoding="utf-8",
        )
        (target / MAPPING).write_text(render_mapping(source, town or "この町", proposals), encoding="utf-8")
    except OSError as err:
        raise KnowledgeError(f"フォルダ {target} に書き込めません（{err.strerror or err}）。") from None
    return Ingested(target, guideline, town, proposals)
