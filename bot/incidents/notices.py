"""Drafts of what 総務課 publishes about an impersonation (7(3)): the notice on the town's website
(knowledge/notices/website.j2, 7(3)①) and the material for the press (knowledge/notices/press.j2, 7(3)②).

The templates are the pack's data (総務課 edits them); they are validated when the pack is checked (a
template error names the file and the line). A draft is rendered from the incident's data (account name,
URL, platform, dates, the town's 総務課 and its published phone) and only ever shown to 総務課 to copy: the
bot never posts it anywhere public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from bot import store
from bot.errors import UserError
from bot.incidents import platforms, records
from bot.incidents.when import seireki, today_jst, wareki

IMPERSONATION = "impersonation"  # the report type whose notices these are (7(3))
DRAFTED = "notice_drafted"  # 経過 action: 総務課 opened a draft (detail: kind, label)
KINDS = {"website": "notices/website.j2", "press": "notices/press.j2"}
LABELS = {"website": "公式ホームページでの周知文の案", "press": "報道機関への資料提供の案"}
ACCOUNT_PLACEHOLDER = "〔アカウント名〕"
MAX_ACCOUNT_CHARS = 100
# Every name a notice template may use (anything else is an error when the pack is checked).
VARIABLES = {
    "town": "町の名前（pack.toml の town）",
    "general_affairs": "担当課の名前（pack.toml の general_affairs）",
    "phone": "町の代表電話（screening/contacts.toml の phones の最初）",
    "account_name": "なりすましアカウントの名前（総務課が入力・修正できます）",
    "url": "なりすましアカウントの URL",
    "platform": "プラットフォーム（X（旧Twitter）、Instagram など）",
    "found": "報告を受け付けた日（日付）",
    "today": "文案を作る日（日付）",
    "requested": "プラットフォームへ削除依頼をした日（日付、まだなら空）",
    "incident_id": "報告の番号",
}
FILTERS = {"wareki": wareki, "seireki": seireki}


class NoticeError(UserError):
    """A notice template cannot be used (missing, or an error 総務課 must fix); str() names file and line."""


@store.migration
def _tables(db) -> None:
    db["notice_accounts"].create(
        {"incident": int, "account_name": str, "updated_by": str, "updated_at": str},
        pk="incident",
        if_not_exists=True,
    )


@dataclass(frozen=True)
class Draft:
    kind: str  # website | press
    label: str
    text: str
    account_name: str  # as used (the placeholder when nobody entered one and the URL shows none)
    incident_id: int


def _env(folder: Path):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    return env


def template_problems(folder: Path, relpath: str, text: str) -> list[tuple[int, str]]:
    """(line, Japanese message) for each problem of one notice template (syntax, unknown names, a failing render)."""
    from jinja2 import TemplateAssertionError, TemplateSyntaxError, meta

    env = _env(folder)
    try:
        ast = env.parse(text)
        env.from_string(text)  # compile: unknown filters are found here
    except TemplateSyntaxError as err:
        return [(err.lineno or 0, f"テンプレートの書き方に誤りがあります（{_jinja_message(err.message or '')}）。")]
    except TemplateAssertionError as err:
        return [(err.lineno or 0, f"テンプレートに使えない書き方があります（{_jinja_message(err.message or '')}）。")]
    out = []
    for name in sorted(meta.find_undeclared_variables(ast) - set(VARIABLES)):
        line = next((n for n, ln in enumerate(text.splitlines(), 1) if name in ln), 0)
        out.append((line, f"「{name}」という項目はありません。使えるのは {'、'.join(VARIABLES)} です。"))
    if out:
        return out
    try:
        env.from_string(text).render(**_sample())
    except Exception as err:  # noqa: BLE001 - any failure of a template is 総務課's to fix
        return [(_error_line(err), f"テンプレートを文章にできません（{_jinja_message(str(err))}）。")]
    return []


def _error_line(err: Exception) -> int:
    import traceback

    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename == "<template>":
            return frame.lineno or 0
    return 0


_JINJA = [
    ("unexpected '}'", "「{{ }}」「{% %}」のかっこの対応が正しくありません"),
    ("unexpected char", "使えない文字があります（{{ }} や {% %} の中は半角で書いてください）"),
    ("expected token", "{{ }} や {% %} の中の書き方が正しくありません"),
    ("no filter named", "使えないフィルターがあります（使えるもの: wareki、seireki、default など）"),
    ("encountered unknown tag", "使えないタグがあります"),
]


def _jinja_message(message: str) -> str:
    """jinja2's (English) message → Japanese, the original kept in brackets for whoever helps."""
    message = re.sub(r" at \d+$", "", message.strip())
    lower = message.lower()
    if "unexpected end of template" in lower:
        m = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
        tag = m.group(1) if m else "if"
        return f"{{% {tag} %}} の閉じ忘れがあります。{{% end{tag} %}} を書いてください"
    for english, japanese in _JINJA:
        if lower.startswith(english):
            return f"{japanese}: {message}"
    return message


def _sample() -> dict:
    d = date(2026, 12, 2)
    return {"town": "町", "general_affairs": "総務課", "phone": "0000-00-0000", "account_name": "@example",
            "url": "https://x.com/example", "platform": "X（旧Twitter）", "found": d, "today": d, "requested": d,
            "incident_id": 1}


def _pack_phone(pack) -> str:
    from bot.knowledge.read import read_toml

    try:
        _, data = read_toml(pack.path("screening") / "contacts.toml", "screening/contacts.toml", missing_ok=True)
    except Exception:  # noqa: BLE001 - validated with the pack; a draft is still useful without the number
        return ""
    phones = data.get("phones") or []
    return str(phones[0]) if phones and isinstance(phones, list) else ""


# --- the account name 総務課 entered ------------------------------------------------------------------


def saved_account(incident_id: int, db=None) -> str:
    rows = list((db or store.db()).query("select account_name from notice_accounts where incident = ?", [incident_id]))
    return rows[0]["account_name"] if rows else ""


def save_account(incident_id: int, account_name: str, user: str, db=None) -> str:
    """Keep the account name 総務課 entered (stripped, at most 100 characters); "" forgets it."""
    name = " ".join((account_name or "").split())[:MAX_ACCOUNT_CHARS]
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    (db or store.db()).execute(
        "insert into notice_accounts (incident, account_name, updated_by, updated_at) values (?, ?, ?, ?) "
        "on conflict(incident) do update set account_name = excluded.account_name, updated_by = excluded.updated_by, "
        "updated_at = excluded.updated_at",
        [incident_id, name, user or "", at],
    )
    return name


def account_name(incident_id: int, url: str, db=None) -> str:
    """The name entered by 総務課, else the one the URL shows (「@urausu_fake」), else ""."""
    return saved_account(incident_id, db) or platforms.account_of(url)


# --- rendering --------------------------------------------------------------------------------------------


def context(incident_id: int, *, account: str | None = None, now: datetime | None = None, pack=None) -> dict:
    from bot.knowledge import current_pack

    incident = records.get(incident_id)
    if incident is None:
        raise NoticeError(f"報告 #{incident_id} は見つかりませんでした。")
    if incident.type != IMPERSONATION:
        raise NoticeError(f"報告 #{incident_id} はなりすましの報告ではないため、周知文・資料提供の案は作れません。")
    pack = pack or current_pack()
    requested = _latest_request(incident_id)
    name = account if account is not None and account.strip() else account_name(incident.id, incident.url)
    platform = requested[1] if requested and requested[1] else platforms.label(platforms.platform_of(incident.url))
    return {
        "town": pack.town,
        "general_affairs": pack.general_affairs,
        "phone": _pack_phone(pack),
        "account_name": name.strip() or ACCOUNT_PLACEHOLDER,
        "url": incident.url,
        "platform": platform,
        "found": today_jst(datetime.fromisoformat(incident.created)) if incident.created else today_jst(now),
        "today": today_jst(now),
        "requested": requested[0] if requested else None,
        "incident_id": incident.id,
    }


def _latest_request(incident_id: int) -> tuple[date, str] | None:
    """(date requested, platform label) of the latest takedown request, if any was recorded."""
    try:
        from bot.incidents import takedown_records as takedowns
    except ImportError:
        return None
    found = takedowns.for_incident(incident_id)
    if not found:
        return None
    latest = found[-1]
    return date.fromisoformat(latest.requested), platforms.label(latest.platform)


def draft(kind: str, incident_id: int, *, account_name: str | None = None, now: datetime | None = None) -> Draft:
    """The draft of ``kind`` (website | press) for an impersonation incident."""
    from bot.knowledge import current_pack
    from bot.knowledge.read import read_text

    if kind not in KINDS:
        raise NoticeError(f"文案の種類「{kind}」はありません（website か press）。")
    pack = current_pack()
    relpath = KINDS[kind]
    path = pack.dir / relpath
    if not path.is_file():
        raise NoticeError(f"{relpath} がありません。知識フォルダに文案のテンプレートを置いてください。")
    text = read_text(path, relpath)
    problems = template_problems(pack.dir, relpath, text)
    if problems:
        line, message = problems[0]
        raise NoticeError(f"{relpath}{f' {line}行目' if line else ''}: {message}")
    values = context(incident_id, account=account_name, now=now, pack=pack)
    rendered = _env(pack.dir).from_string(text).render(**values).strip()
    return Draft(kind, LABELS[kind], rendered, values["account_name"], incident_id)


def render(kind: str, incident_id: int, account_name: str | None = None, now: datetime | None = None) -> str:
    return draft(kind, incident_id, account_name=account_name, now=now).text


def may_see(user: str, directory) -> bool:
    """Only 総務課 sees the drafts (they decide what the town publishes)."""
    return directory is not None and directory.is_general_affairs(user)


def log_drafted(incident_id: int, kind: str, user: str) -> None:
    """Keep in the 経過 that 総務課 drafted this kind of text (once per kind)."""
    try:
        from bot.incidents.history import history, log_action
    except ImportError:  # the 経過 is not available in this version
        return
    if any(e.action == DRAFTED and e.detail.get("kind") == kind for e in history(incident_id)):
        return
    log_action(incident_id, DRAFTED, user, {"kind": kind, "label": LABELS[kind]})
