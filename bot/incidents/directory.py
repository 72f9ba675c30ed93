"""The staff directory (env BOT_DIRECTORY): 総務課 and each department with its head and members.

Format (TOML)::

    [general_affairs]
    name = "総務課"
    head = "U…"
    members = ["U…"]

    [[departments]]
    name = "産業課"
    head = "U…"
    members = ["U…", "U…"]

    [names]            # optional: names for the command line's exports when Slack is not asked
    "U…" = "産業 太郎"

Every error names the file and line, in Japanese, so 総務課 can fix it without help.
"""

from __future__ import annotations

import os
import re
import threading
import tomllib
from pathlib import Path

from bot import config
from bot.errors import UserError
from bot.incidents.model import Department, Directory, GeneralAffairs

ENV = "BOT_DIRECTORY"
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")  # Slack user ids: U… (W… on Enterprise Grid)
_KEYS = {"name", "head", "members"}


class DirectoryError(UserError):
    """The directory file is missing or wrong; str() names the file and line."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        where = f"{path} の {line} 行目" if line else path
        super().__init__(f"部署名簿 {where}: {message}")


class _Lines:
    """Finds the line of a table, key or value in the TOML text, for semantic errors."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"']+)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str):
        self.lines = text.splitlines()
        # (table, index) -> first line number (1-based) of the table header
        self.tables: dict[tuple[str, int], int] = {}
        counts: dict[str, int] = {}
        for n, line in enumerate(self.lines, start=1):
            m = self._HEADER.match(line)
            if m:
                name = m.group(2).strip("\"'")
                idx = counts.get(name, 0)
                counts[name] = idx + 1
                self.tables[(name, idx)] = n

    def _range(self, table: str, index: int) -> tuple[int, int]:
        start = self.tables.get((table, index))
        if start is None:
            return 1, len(self.lines)
        later = [n for n in self.tables.values() if n > start]
        return start, (min(later) - 1 if later else len(self.lines))

    def duplicate_key(self) -> tuple[int, str] | None:
        """(line, key) of a key written twice in the same table (tomllib reports no line for it)."""
        seen: set[str] = set()
        for n, line in enumerate(self.lines, start=1):
            if self._HEADER.match(line):
                seen = set()
                continue
            m = re.match(r"^\s*\"?([A-Za-z0-9_\-]+)\"?\s*=", line)
            if m:
                if m.group(1) in seen:
                    return n, m.group(1)
                seen.add(m.group(1))
        return None

    def table(self, table: str, index: int = 0) -> int | None:
        return self.tables.get((table, index))

    def key(self, table: str, index: int, key: str) -> int | None:
        start, end = self._range(table, index)
        pat = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for n in range(start, end + 1):
            if pat.match(self.lines[n - 1]):
                return n
        return self.table(table, index)

    def value(self, table: str, index: int, key: str, value: str) -> int | None:
        first = self.key(table, index, key)
        _, end = self._range(table, index)
        if first is None:
            return None
        for n in range(first, end + 1):
            if value and value in self.lines[n - 1]:
                return n
        return first


def parse(text: str, path: str = ENV) -> Directory:
    """Parse and validate directory text; DirectoryError names the line of the first problem."""
    from bot.knowledge.read import toml_message

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line, what = toml_message(err)
        if not line:
            dup = _Lines(text).duplicate_key()
            if dup and "overwrite" in str(err):
                raise DirectoryError(path, dup[0], f"「{dup[1]}」が同じ表の中で2回書かれています。1回にしてください。") from err
            line = max(1, len(text.splitlines()))
        raise DirectoryError(path, line, f"TOML の書き方に誤りがあります（{what}）。引用符「\"」やかっこの閉じ忘れがないか確認してください。") from err
    lines = _Lines(text)

    for key in data:
        if key not in ("general_affairs", "departments", "names"):
            raise DirectoryError(path, lines.table(key) or lines.key("", 0, key), f"「{key}」は使えない項目です。[general_affairs] と [[departments]]（と [names]）だけを書いてください。")
    ga_raw = data.get("general_affairs")
    if not isinstance(ga_raw, dict):
        raise DirectoryError(path, None, "総務課の設定 [general_affairs] がありません。")
    ga = _department(ga_raw, "general_affairs", 0, lines, path, general=True)
    assert isinstance(ga, GeneralAffairs)

    depts_raw = data.get("departments", [])
    if not isinstance(depts_raw, list):
        raise DirectoryError(path, lines.key("", 0, "departments"), "departments は [[departments]] の形で部署ごとに書いてください。")
    departments = [_department(raw, "departments", i, lines, path) for i, raw in enumerate(depts_raw)]

    names: dict[str, int] = {ga.name: -1}
    for i, dept in enumerate(departments):
        if dept.name in names:
            raise DirectoryError(path, lines.key("departments", i, "name"), f"部署名「{dept.name}」が重複しています。")
        names[dept.name] = i
    # A person may be a member of several departments (兼務): a report tags every one of their heads.
    return Directory(ga, tuple(departments), source=path, names=_names(data.get("names", {}), lines, path))


def _names(raw, lines: _Lines, path: str) -> tuple[tuple[str, str], ...]:
    """The optional [names] table: "U…" = "表示名" (used where Slack is not asked, e.g. the CLI's exports)."""
    if not isinstance(raw, dict):
        raise DirectoryError(path, lines.key("", 0, "names"), "names は [names] の表に \"U…\" = \"名前\" の形で書いてください。")
    out = []
    for user, name in raw.items():
        where = lines.key("names", 0, user)
        if not USER_ID.match(user):
            raise DirectoryError(path, where, _bad_id("[names]", "キー", user))
        if not isinstance(name, str) or not name.strip():
            raise DirectoryError(path, where, f"[names] の {user} には名前を \"…\" で書いてください。")
        out.append((user, name.strip()))
    return tuple(out)


def _department(raw, table: str, index: int, lines: _Lines, path: str, general: bool = False) -> Department:
    header = lines.table(table, index)
    label = "[general_affairs]" if general else f"{index + 1} 番目の [[departments]]"
    if not isinstance(raw, dict):
        raise DirectoryError(path, header, f"{label} の書き方が正しくありません。")
    for key in raw:
        if key not in _KEYS:
            raise DirectoryError(path, lines.key(table, index, key), f"{label} の「{key}」は使えない項目です（使えるのは name, head, members です）。")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DirectoryError(path, lines.key(table, index, "name") if "name" in raw else header, f"{label} に部署名 name = \"…\" を書いてください。")
    name = name.strip()
    head = raw.get("head", "")
    if not isinstance(head, str):
        raise DirectoryError(path, lines.key(table, index, "head"), f"「{name}」の head は \"U…\" の形の文字列で書いてください。")
    head = head.strip()
    members_raw = raw.get("members", [])
    if not isinstance(members_raw, list) or not all(isinstance(m, str) for m in members_raw):
        raise DirectoryError(path, lines.key(table, index, "members"), f"「{name}」の members は [\"U…\", \"U…\"] の形で書いてください。")
    members = tuple(dict.fromkeys(m.strip() for m in members_raw))
    if not head and not (general and members):
        need = "head（課長の利用者ID）か members" if general else "head（所属課局長の利用者ID）"
        raise DirectoryError(path, header, f"「{name}」に {need} がありません。head = \"U…\" の行を追加してください。")
    if head and not USER_ID.match(head):
        raise DirectoryError(path, lines.value(table, index, "head", head), _bad_id(name, "head", head))
    for m in members:
        if not USER_ID.match(m):
            raise DirectoryError(path, lines.value(table, index, "members", m) if m else lines.key(table, index, "members"), _bad_id(name, "members", m))
    cls = GeneralAffairs if general else Department
    return cls(name=name, head=head, members=members)


def _bad_id(name: str, key: str, value: str) -> str:
    return (
        f"「{name}」の {key} にある「{value}」は Slack の利用者IDではありません。"
        "利用者IDは U で始まる英大文字と数字です（Slack のプロフィールの「︙」→「メンバーIDをコピー」で確認できます）。"
    )


def read(path: Path | str) -> Directory:
    from bot.knowledge.read import KnowledgeError, read_text

    p = Path(path).expanduser()
    if not p.exists():
        raise DirectoryError(str(p), None, "ファイルが見つかりません。BOT_DIRECTORY の値を確認してください。")
    try:
        text = read_text(p, p.name)
    except KnowledgeError as err:
        raise DirectoryError(str(p), None, str(err).removeprefix(f"{p.name} ").removeprefix(f"{p.name}")) from err
    return parse(text, str(p))


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Directory]] = {}


def configured_path() -> Path | None:
    return config.directory_path()


def current() -> Directory | None:
    """The directory at BOT_DIRECTORY (None when the variable is not set), re-read when the file changes.

    If an edit breaks a file that was valid before, the last valid directory stays in use (and the
    error is logged); at start, ``validate_at_start`` refuses a broken file."""
    path = configured_path()
    if path is None:
        return None
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    key = str(path)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
        try:
            directory = read(path)
        except DirectoryError:
            if hit:
                import logging

                logging.getLogger(__name__).exception("directory edit is invalid; keeping the previous one")
                return hit[1]
            raise
        _cache[key] = (stamp, directory)
        return directory


def validate_at_start() -> Directory | None:
    """Called by `serve`: raises DirectoryError (one clear line) when BOT_DIRECTORY is set but wrong."""
    path = configured_path()
    if path is None:
        return None
    with _lock:
        _cache.pop(str(path), None)
    return current()
