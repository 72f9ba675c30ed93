"""A Pack: one town's knowledge folder (guideline, synonyms, clause terms, examples, screening, report
types, contacts, directory example) with its manifest ``pack.toml`` (town name, guideline title, the name of
its 総務課) and, for a pack made by ``python -m bot index``, ``mapping.toml``: how the clause references the
pack's files inherited from another town map onto this guideline, confirmed by 総務課 one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.guideline import Guideline, GuidelineFormatError, parse_guideline
from bot.knowledge.read import KnowledgeError, read_text, read_toml

MANIFEST = "pack.toml"
MAPPING = "mapping.toml"
DEFAULT_FILES = {
    "guideline": "guideline.txt",
    "synonyms": "synonyms.tsv",
    "clause_terms": "clause_terms.tsv",
    "report_types": "report_types.toml",
    "screening": "screening",
    "directory_example": "directory.example.toml",
}
_TOWN_RE = re.compile(r"^(.{1,8}?[都道府県市町村区])")
DEFAULT_GENERAL_AFFAIRS = "総務課"


@dataclass(frozen=True)
class Manifest:
    town: str
    guideline_title: str
    general_affairs: str = DEFAULT_GENERAL_AFFAIRS
    files: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FILES))


@dataclass(frozen=True)
class MapEntry:
    source: str  # the clause id the pack's files use (the other town's)
    target: str  # the proposed clause of this guideline, "" when nothing fits
    confirmed: bool
    line: int


@dataclass
class Pack:
    dir: Path
    manifest: Manifest
    guideline: Guideline
    mapping: dict[str, MapEntry] | None = None  # None: the files were written for this guideline
    source_town: str = ""

    @property
    def town(self) -> str:
        return self.manifest.town

    @property
    def guideline_title(self) -> str:
        return self.manifest.guideline_title

    @property
    def general_affairs(self) -> str:
        return self.manifest.general_affairs

    def path(self, key: str) -> Path:
        return self.dir / self.manifest.files.get(key, DEFAULT_FILES.get(key, key))

    def label(self, path: Path) -> str:
        """How a file of the pack is named to people: its path inside the pack folder."""
        try:
            return path.relative_to(self.dir).as_posix()
        except ValueError:
            return path.name

    def resolve(self, clause_id: str) -> str | None:
        """The clause of this guideline a reference stands for, or None when it is not available here
        (no such clause, or a mapping 総務課 has not confirmed yet)."""
        if self.mapping is not None and clause_id in self.mapping:
            e = self.mapping[clause_id]
            return e.target if e.confirmed and e.target and self.guideline.get(e.target) else None
        return clause_id if self.guideline.get(clause_id) else None

    def known_reference(self, clause_id: str) -> bool:
        """Whether a reference is valid in this pack's files (a clause here, or a mapped one)."""
        return self.guideline.get(clause_id) is not None or bool(self.mapping and clause_id in self.mapping)

    @property
    def pending(self) -> list[MapEntry]:
        return [e for e in (self.mapping or {}).values() if not e.confirmed]


def town_of(title: str) -> str:
    m = _TOWN_RE.match(title.strip())
    return m.group(1) if m else ""


def _manifest(folder: Path, guideline: Guideline) -> Manifest:
    path = folder / MANIFEST
    text, data = read_toml(path, MANIFEST, missing_ok=True)
    title = guideline.name if guideline.name not in ("guideline", "knowledge") else ""
    if not text.strip():
        return Manifest(town=town_of(title) or "町", guideline_title=title or "ソーシャルメディアガイドライン")
    lines = text.splitlines()

    def line_of(key: str) -> int:
        return next((i for i, ln in enumerate(lines, 1) if ln.strip().startswith(key)), 0)

    def string(key: str, default: str) -> str:
        v = data.get(key, default)
        if not isinstance(v, str) or not v.strip():
            n = line_of(key)
            raise KnowledgeError(f"{MANIFEST}{f' {n}行目' if n else ''}: 「{key}」は空でない文字列（\"…\"）で書いてください。")
        return v.strip()

    files = dict(DEFAULT_FILES)
    raw_files = data.get("files", {})
    if not isinstance(raw_files, dict):
        raise KnowledgeError(f"{MANIFEST} {line_of('files')}行目: [files] は表として書いてください。")
    for key, value in raw_files.items():
        if key not in DEFAULT_FILES:
            raise KnowledgeError(f"{MANIFEST} {line_of(key)}行目: [files] に不明な項目「{key}」があります（使えるもの: {'、'.join(DEFAULT_FILES)}）。")
        if not isinstance(value, str) or not value.strip():
            raise KnowledgeError(f"{MANIFEST} {line_of(key)}行目: [files] の「{key}」にはファイル名を書いてください。")
        files[key] = value.strip()
    unknown = set(data) - {"town", "guideline_title", "general_affairs", "files", "source_town"}
    if unknown:
        key = sorted(unknown)[0]
        raise KnowledgeError(f"{MANIFEST} {line_of(key)}行目: 不明な項目「{key}」があります（使えるもの: town、guideline_title、general_affairs、files）。")
    guideline_title = string("guideline_title", title or "ソーシャルメディアガイドライン")
    return Manifest(
        town=string("town", town_of(guideline_title) or "町"),
        guideline_title=guideline_title,
        general_affairs=string("general_affairs", DEFAULT_GENERAL_AFFAIRS),
        files=files,
    )


def _mapping(folder: Path) -> tuple[dict[str, MapEntry] | None, str]:
    path = folder / MAPPING
    if not path.exists():
        return None, ""
    text, data = read_toml(path, MAPPING)
    lines = text.splitlines()
    clauses = data.get("clauses", {})
    if not isinstance(clauses, dict):
        raise KnowledgeError(f"{MAPPING}: [clauses.\"条項番号\"] の形で書いてください。")
    out = {}
    for source, entry in clauses.items():
        header = f'[clauses."{source}"]'
        line = next((i for i, ln in enumerate(lines, 1) if ln.strip() == header), 0)
        where = f"{MAPPING}{f' {line}行目' if line else ''}"
        if not isinstance(entry, dict):
            raise KnowledgeError(f"{where}: 条項 {source} の対応は to と confirmed で書いてください。")
        target = entry.get("to", "")
        confirmed = entry.get("confirmed", False)
        if not isinstance(target, str):
            raise KnowledgeError(f"{where}: 条項 {source} の to は条項番号の文字列（\"4(1)①\" など、なければ \"\"）で書いてください。")
        if not isinstance(confirmed, bool):
            raise KnowledgeError(f"{where}: 条項 {source} の confirmed は true か false で書いてください。")
        out[source] = MapEntry(source, target.strip(), confirmed, line)
    source_town = data.get("source_town", "")
    return out, source_town if isinstance(source_town, str) else ""


def load_pack(folder: Path) -> Pack:
    """Read the manifest, the guideline and the mapping of a pack folder (no reference checks: see checks)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise KnowledgeError(f"知識フォルダ {folder} が見つかりません。パスを確認してください。")
    files = dict(DEFAULT_FILES)
    # the manifest may rename the guideline file: read it first without the guideline
    text, data = read_toml(folder / MANIFEST, MANIFEST, missing_ok=True)
    if isinstance(data.get("files"), dict) and isinstance(data["files"].get("guideline"), str):
        files["guideline"] = data["files"]["guideline"]
    gpath = folder / files["guideline"]
    gtext = read_text(gpath, files["guideline"])
    try:
        guideline = parse_guideline(gtext, name="guideline")
    except GuidelineFormatError as err:
        msg = str(err)
        sep = " " if re.match(r"\d+行目: ", msg) else ": "
        raise KnowledgeError(f"{files['guideline']}{sep}{msg}") from None
    manifest = _manifest(folder, guideline)
    mapping, source_town = _mapping(folder)
    return Pack(folder, manifest, guideline, mapping, source_town)
