"""Screening knowledge: categories, term/pattern rules, detector vocabularies, link allowlist and the
town's own contacts, read from ``knowledge/screening/*.toml`` and validated at load.

Errors name the file and the line (``RulesError``, a UserError: one line on the CLI). The result is
cached and reloaded only when a file changes, so 総務課 can add a term without restarting anything.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bot.screening.model import SEVERITIES
from bot.screening.normalize import normalize_term
from bot.screening.source import RulesError, check_examples, examples, matching
from bot.screening.source import Source as _Source
from bot.screening.source import alternation as _alternation
from bot.screening.source import str_list as _str_list

FILES = ("categories.toml", "detectors.toml", "links.toml", "contacts.toml")
RULES_DIR = "rules"  # rules/<category>.toml, one file per category
RULE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CLAUSE_RE = re.compile(r"^[1-9][0-9]?(\([0-9]{1,2}\)([①-⑳]([ア-オ])?)?)?$")
# Categories the built-in detectors report under; categories.toml must define them.
DETECTOR_CATEGORIES = (
    "phone", "email", "address", "my_number", "person_name", "link_third_party", "link_unsuitable", "rumour",
)
# Word lists each detector section of detectors.toml must provide.
DETECTOR_KEYS = {
    "phone": ("personal", "organisation"),
    "email": ("personal_domains", "personal", "organisation"),
    "address": ("personal", "facility", "strip_prefixes"),
    "my_number": ("labels", "not_my_number"),
    "person_name": ("honorifics", "private_honorifics", "private_context", "public_roles"),
    "link": ("unsuitable", "official", "personal"),
    "hearsay": ("unless", "incident", "forecast"),
}


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    clause: str
    private_clause: str  # "" = not reported for private accounts
    related: tuple[str, ...]
    private_related: tuple[str, ...]
    severity: str
    private_severity: str
    priority: int
    message: str
    suggestion: str
    suppressed_by: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str  # stable, unique across the rules files, e.g. "illegal-03"
    note: str  # what the rule is for, one short line
    examples: tuple[str, ...]  # drafts this rule alone must catch (checked at load)
    not_examples: tuple[str, ...]  # drafts this rule must leave alone
    category: str
    regexes: tuple[re.Pattern, ...]  # the terms as one alternation, then each pattern (kept apart: much faster)
    near: re.Pattern | None
    unless: re.Pattern | None
    severity: str | None
    account: str
    where: str  # "rules.toml 12行目", for debugging and tests


@dataclass(frozen=True)
class Knowledge:
    categories: dict[str, Category]
    rules: tuple[Rule, ...]
    words: dict[str, dict[str, re.Pattern | None]]  # detector -> list name -> alternation regex
    strip_prefixes: tuple[str, ...]
    allow_domains: tuple[str, ...]
    own_phones: frozenset[str]
    own_emails: frozenset[str]
    own_addresses: tuple[str, ...]
    learned_threshold: float = 0.5  # learned.toml: the learned layer's threshold (chosen by LOBO)
    examples_key: str = ""  # content hash of examples/*.tsv (the learned layer's cache key)
    laws: tuple = ()  # laws.toml: the laws posts often touch (bot.screening.laws.Law)
    learned_thresholds: dict = field(default_factory=dict)  # learned.toml [thresholds]: category -> threshold
    learned_dense_weight: float = 0.0  # learned.toml: weight of the kernel head in the mix (chosen by LOBO)
    learned_private_threshold: float | None = None  # learned.toml: the threshold for private posts (None: threshold)


def _words(src: _Source, section: dict, key: str, line: int) -> re.Pattern | None:
    terms = _str_list(src, section.get(key, []), key, line)
    return re.compile(_alternation(terms)) if terms else None


def _categories(src: _Source) -> dict[str, Category]:
    known = {"label", "clause", "private_clause", "related", "private_related", "severity", "private_severity",
             "priority", "message", "suggestion", "suppressed_by"}
    out = {}
    for name, sec in src.data.items():
        line = src.header_line(f"[{name}]")
        if not isinstance(sec, dict):
            raise src.error(src.line_of(name), f"「{name}」は [{name}] の表として書いてください。")
        unknown = set(sec) - known
        if unknown:
            key = sorted(unknown)[0]
            raise src.error(src.line_of(key, line) or line, f"[{name}] に不明な項目「{key}」があります。")
        for key in ("label", "clause", "severity", "message", "suggestion"):
            if not isinstance(sec.get(key), str) or not sec[key].strip():
                raise src.error(line, f"[{name}] に「{key}」（文字列）を書いてください。")
        clauses = [sec["clause"], sec.get("private_clause", "")] + list(sec.get("related", [])) + list(sec.get("private_related", []))
        for c in clauses:
            if not isinstance(c, str) or (c and not CLAUSE_RE.match(c)):
                raise src.error(src.line_of(str(c), line) or line, f"[{name}] の条項番号「{c}」が正しくありません（例: 6(2)、7(1)③、8(3)②ア）。")
        for key in ("severity", "private_severity"):
            sev = sec.get(key, sec["severity"])
            if sev not in SEVERITIES:
                raise src.error(src.line_of(key, line) or line, f"[{name}] の「{key}」は block / warn / info のどれかにしてください。")
        prio = sec.get("priority", 50)
        if not isinstance(prio, int):
            raise src.error(src.line_of("priority", line) or line, f"[{name}] の「priority」は整数で書いてください。")
        out[name] = Category(
            name=name, label=sec["label"], clause=sec["clause"], private_clause=sec.get("private_clause", ""),
            related=tuple(_str_list(src, sec.get("related", []), "related", line)),
            private_related=tuple(_str_list(src, sec.get("private_related", []), "private_related", line)),
            severity=sec["severity"], private_severity=sec.get("private_severity", sec["severity"]), priority=prio,
            message=sec["message"].strip(), suggestion=sec["suggestion"].strip(),
            suppressed_by=tuple(_str_list(src, sec.get("suppressed_by", []), "suppressed_by", line)),
        )
    for name, cat in out.items():
        for other in cat.suppressed_by:
            if other not in out:
                raise src.error(src.line_of(other, src.header_line(f"[{name}]")), f"[{name}] の suppressed_by にある「{other}」という種類は定義されていません。")
    for name in DETECTOR_CATEGORIES:
        if name not in out:
            raise src.error(0, f"検出器が使う種類 [{name}] が定義されていません。")
    return out


def _rules(src: _Source, categories: dict[str, Category], seen: dict[str, str]) -> tuple[Rule, ...]:
    known = {"id", "note", "examples", "not_examples", "category", "terms", "patterns", "near", "near_patterns",
             "unless", "severity", "account"}
    items = src.data.get("rule", [])
    extra = set(src.data) - {"rule"}
    if extra:
        key = sorted(extra)[0]
        raise src.error(src.line_of(key), f"規則は [[rule]] で始めてください（不明な項目「{key}」）。")
    rules = []
    for i, item in enumerate(items):
        line = src.header_line("[[rule]]", i)
        unknown = set(item) - known
        if unknown:
            key = sorted(unknown)[0]
            raise src.error(src.line_of(key, line) or line, f"規則に不明な項目「{key}」があります（使えるもの: {', '.join(sorted(known))}）。")
        cat = item.get("category")
        if cat not in categories:
            raise src.error(src.line_of("category", line) or line, f"category「{cat}」は categories.toml に定義されていません。")
        m = matching(src, item, line, "規則", "規則には terms（語句）か patterns（正規表現）を1つ以上書いてください。")
        rid = item.get("id")
        if not isinstance(rid, str) or not RULE_ID_RE.match(rid):
            raise src.error(src.line_of("id", line) or line, "規則には id（半角の英小文字・数字・ハイフン、例: illegal-03）を書いてください。")
        if rid in seen:
            raise src.error(src.line_of(rid, line) or line, f"規則の id「{rid}」は {seen[rid]} でも使われています。別の id にしてください。")
        seen[rid] = f"{src.name} {line}行目"
        note = item.get("note")
        if not isinstance(note, str) or not note.strip():
            raise src.error(line, f"規則「{rid}」に note（何を見つける規則かの短い説明）を書いてください。")
        exs, nots = examples(src, item, line, f"規則「{rid}」に examples（この規則が見つける文）を1つ以上書いてください。")
        rule = Rule(
            id=rid, note=note.strip(), examples=exs, not_examples=nots, category=cat, regexes=m.regexes,
            near=m.near, unless=m.unless, severity=m.severity, account=m.account, where=f"{src.name} {line}行目",
        )
        check_examples(src, rule, line, "規則「{id}」の examples の文「{ex}」を、この規則が見つけられません。",
                       "規則「{id}」が not_examples の文「{ex}」を指摘してしまいます。")
        rules.append(rule)
    return tuple(rules)


def _detectors(src: _Source) -> tuple[dict[str, dict[str, re.Pattern | None]], tuple[str, ...]]:
    words: dict[str, dict[str, re.Pattern | None]] = {}
    prefixes: tuple[str, ...] = ()
    for name, keys in DETECTOR_KEYS.items():
        sec = src.data.get(name)
        line = src.header_line(f"[{name}]")
        if not isinstance(sec, dict):
            raise src.error(0, f"[{name}] の節がありません。")
        unknown = set(sec) - set(keys)
        if unknown:
            key = sorted(unknown)[0]
            raise src.error(src.line_of(key, line) or line, f"[{name}] に不明な項目「{key}」があります。")
        words[name] = {key: _words(src, sec, key, line) for key in keys}
        if name == "address":
            prefixes = tuple(sorted((normalize_term(p) for p in _str_list(src, sec.get("strip_prefixes", []), "strip_prefixes", line)), key=len, reverse=True))
    return words, prefixes


_DOMAIN_RE = re.compile(r"^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$")


def _links(src: _Source) -> tuple[str, ...]:
    allow = _str_list(src, src.data.get("allow", []), "allow", 1)
    out = []
    for d in allow:
        d2 = d.strip().lower()
        if not _DOMAIN_RE.match(d2):
            raise src.error(src.line_of(d), f"ドメイン「{d}」の形が正しくありません（例: town.urausu.hokkaido.jp、*.go.jp）。")
        out.append(d2.removeprefix("*."))
    return tuple(out)


def digits_of(phone: str) -> str:
    return re.sub(r"\D", "", normalize_term(phone))


def _contacts(src: _Source, prefixes: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    phones = _str_list(src, src.data.get("phones", []), "phones", 1)
    for p in phones:
        if not 9 <= len(digits_of(p)) <= 11:
            raise src.error(src.line_of(p), f"電話番号「{p}」の桁数が正しくありません（市外局番から書いてください）。")
    emails = _str_list(src, src.data.get("emails", []), "emails", 1)
    addresses = _str_list(src, src.data.get("addresses", []), "addresses", 1)
    return (frozenset(digits_of(p) for p in phones), frozenset(normalize_term(e) for e in emails),
            tuple(address_key(a, prefixes) for a in addresses))


def address_key(address: str, prefixes: tuple[str, ...]) -> str:
    """An address without spaces and the town / prefecture prefix, for comparing with the town's own."""
    a = re.sub(r"[\s〒]", "", normalize_term(address))
    a = re.sub(r"^\d{3}-\d{4}", "", a)
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if a.startswith(p):
                a = a[len(p):]
                changed = True
    # 183番地の15 = 183番地15 = 183番15 = 183の15 = 183-15 (and a final 番地 / 号 is dropped)
    a = re.sub(r"(?<=\d)(?:番地の?|番の?|の)(?=\d)", "-", a)
    return re.sub(r"(?<=\d)(?:番地|番|号)$", "", a)


def load(folder: Path) -> Knowledge:
    """Read and validate every screening file in ``folder`` (knowledge/screening)."""
    srcs = {name: _Source(folder / name) for name in FILES}
    categories = _categories(srcs["categories.toml"])
    rule_files = rule_paths(folder)
    if not rule_files:
        raise RulesError(f"screening/{RULES_DIR}: 規則のファイル（*.toml）がありません。")
    seen: dict[str, str] = {}
    rules = tuple(r for path in rule_files for r in _rules(_Source(path, f"{folder.name}/{RULES_DIR}/{path.name}"), categories, seen))
    words, prefixes = _detectors(srcs["detectors.toml"])
    allow = _links(srcs["links.toml"])
    phones, emails, addresses = _contacts(srcs["contacts.toml"], prefixes)
    threshold, by_category, dense_weight, private_threshold = _learned(folder, categories)
    from bot.screening import examples, laws

    return Knowledge(categories, rules, words, prefixes, allow, phones, emails, addresses,
                     threshold, examples.content_hash(folder), laws.load(folder, categories, set(seen)), by_category,
                     dense_weight, private_threshold)


def _learned(folder: Path, categories: dict[str, Category]) -> tuple[float, dict[str, float], float, float | None]:
    """learned.toml: ``threshold``, ``dense_weight`` and, optionally, ``private_threshold`` (private posts)
    and ``[thresholds]`` per category (all chosen by LOBO)."""
    if not (folder / "learned.toml").exists():
        return 0.5, {}, 0.0, None
    src = _Source(folder / "learned.toml")
    unknown = set(src.data) - {"threshold", "private_threshold", "thresholds", "dense_weight"}
    if unknown:
        key = sorted(unknown)[0]
        raise src.error(src.line_of(key), f"不明な項目「{key}」があります（使えるもの: threshold, private_threshold, dense_weight, [thresholds]）。")

    def value(v, key: str, line: int, zero_ok: bool = False) -> float:
        """A number in (0, 1), or in [0, 1] with ``zero_ok`` (a weight)."""
        number = isinstance(v, (int, float)) and not isinstance(v, bool)
        if not number or not (0 <= v <= 1 if zero_ok else 0 < v < 1):
            raise src.error(line, f"{key} は 0 以上 1 以下の数にしてください。" if zero_ok
                            else f"{key} は 0 より大きく 1 より小さい数にしてください。")
        return float(v)

    t = value(src.data.get("threshold", 0.5), "threshold", src.line_of("threshold"))
    dense_weight = value(src.data.get("dense_weight", 0.0), "dense_weight", src.line_of("dense_weight"), zero_ok=True)
    private_t = (value(src.data["private_threshold"], "private_threshold", src.line_of("private_threshold"))
                 if "private_threshold" in src.data else None)
    table = src.data.get("thresholds", {})
    if not isinstance(table, dict):
        raise src.error(src.line_of("thresholds"), "thresholds は [thresholds] の表として書いてください。")
    by_category = {}
    start = src.header_line("[thresholds]")
    for name, v in table.items():
        line = src.line_of(name, start) or start
        if name not in categories:
            raise src.error(line, f"[thresholds] の種類「{name}」は categories.toml に定義されていません。")
        by_category[name] = value(v, f"[thresholds] の {name}", line)
    return t, by_category, dense_weight, private_t


def rule_paths(folder: Path) -> list[Path]:
    return sorted((folder / RULES_DIR).glob("*.toml"))


def knowledge_folder() -> Path:
    from bot.config import knowledge_dir

    return knowledge_dir() / "screening"


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Knowledge]] = {}


def _stamp(folder: Path) -> tuple:
    out = []
    for path in [folder / name for name in FILES] + [folder / "learned.toml", folder / "laws.toml"] + rule_paths(folder) + sorted((folder / "examples").glob("*.tsv")):
        try:
            st = path.stat()
            out.append((path.name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def knowledge(folder: Path | None = None) -> Knowledge:
    """The screening knowledge, loaded once and reloaded when a file changes."""
    if folder is None:
        from bot.config import knowledge_dir

        folder = knowledge_dir() / "screening"
    key = str(folder)
    stamp = _stamp(folder)
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    with _lock:
        kb = load(folder)
        _cache[key] = (stamp, kb)
        return kb


def validate(pack_dir: Path) -> list[str]:
    """Problems in a pack's screening rules and vocabularies (pack_dir = a knowledge folder); [] when fine."""
    try:
        load(Path(pack_dir) / "screening")
    except RulesError as err:
        return [str(err)]
    return []
