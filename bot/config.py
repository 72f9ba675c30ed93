"""Every setting read from the environment, in one place, with clear errors."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    """A setting is missing or malformed. str(err) is one line naming the variable."""


APP_NAME = "urausu-sns-bot"
REPO_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def db_path() -> Path:
    """BOT_DB, else a file under the user's data dir (never inside the repository)."""
    val = os.environ.get("BOT_DB", "").strip()
    if val:
        return Path(val).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "bot.db"


def knowledge_dir() -> Path:
    """BOT_KNOWLEDGE, else the repository's knowledge/ folder."""
    val = os.environ.get("BOT_KNOWLEDGE", "").strip()
    path = Path(val).expanduser() if val else REPO_KNOWLEDGE
    if not path.is_dir():
        raise ConfigError(f"環境変数 BOT_KNOWLEDGE のフォルダ {path} が見つかりません。パスを確認してください。")
    return path


def directory_path() -> Path | None:
    """BOT_DIRECTORY: the staff directory file (TOML), or None when not set (Report then tags 総務課 only)."""
    val = os.environ.get("BOT_DIRECTORY", "").strip()
    return Path(val).expanduser() if val else None


def debug() -> bool:
    """BOT_DEBUG: any non-empty value shows debug logs and tracebacks."""
    return bool(os.environ.get("BOT_DEBUG"))


DEFAULT_API_URL = "https://slack.com/api/"  # the Web API, when SLACK_API_URL is not set


# Where an administrator finds each Slack value (README 「管理者ガイド」).
_HINTS = {
    "SLACK_BOT_TOKEN": "Slack アプリ管理画面の「OAuth & Permissions」にある Bot User OAuth Token（xoxb- で始まる値）を設定してください。",
    "SLACK_APP_TOKEN": "Slack アプリ管理画面の「Basic Information」→「App-Level Tokens」で connections:write のトークン（xapp- で始まる値）を作って設定してください。",
    "SLACK_SIGNING_SECRET": "Slack アプリ管理画面の「Basic Information」にある Signing Secret を設定してください。",
}


def require(name: str, prefix: str | None = None) -> str:
    """A required environment variable; ConfigError naming it when missing or malformed."""
    val = os.environ.get(name, "").strip()
    if not val:
        raise ConfigError(f"環境変数 {name} が設定されていません。{_HINTS.get(name, '値を設定してから起動してください。')}")
    if prefix and not val.startswith(prefix):
        raise ConfigError(f"環境変数 {name} の値が正しくありません（「{prefix}」で始まる値のはずです）。{_HINTS.get(name, '')}".rstrip())
    return val


def optional(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def embed_threads() -> int:
    """BOT_EMBED_THREADS: threads for the embedding model (default 1; more rarely helps and spikes on a busy machine)."""
    val = optional("BOT_EMBED_THREADS", "1")
    if not val.isdigit() or not 1 <= int(val) <= 16:
        raise ConfigError(f"環境変数 BOT_EMBED_THREADS の値（{val}）が正しくありません。1〜16 の整数を指定してください（通常は設定不要です）。")
    return int(val)


def embed_batch_threads() -> int:
    """BOT_EMBED_BATCH_THREADS: threads for embedding several texts at once, one text per thread, and one long
    text (bot.semantics.LONG_TEXT) (default: 2, or 1 on a one-core machine). Check's suspect sentences are one
    batch: 8 sentences 300 → 175 ms with 2."""
    val = optional("BOT_EMBED_BATCH_THREADS", str(min(2, os.cpu_count() or 1)))
    if not val.isdigit() or not 1 <= int(val) <= 16:
        raise ConfigError(f"環境変数 BOT_EMBED_BATCH_THREADS の値（{val}）が正しくありません。1〜16 の整数を指定してください（通常は設定不要です）。")
    return int(val)


def limit_blas_threads() -> None:
    """OPENBLAS_NUM_THREADS: numpy's OpenBLAS on one thread unless the operator set it (called when ``bot`` is
    imported, before numpy is). Its busy-waiting threads took the core the embedding model's second thread
    needs (bench_ask.py: warm p99 127 → 93 ms); our products are small, one thread is as fast."""
    os.environ["OPENBLAS_NUM_THREADS"] = optional("OPENBLAS_NUM_THREADS", "1")


def omp_wait_policy() -> str:
    """OMP_WAIT_POLICY for the embedding engine: the operator's value, else PASSIVE (idle threads sleep)."""
    return optional("OMP_WAIT_POLICY", "PASSIVE")


def soumu_channel() -> str:
    """BOT_SOUMU_CHANNEL: the channel id (C…/G…) where 「総務課に聞く」 posts questions; "" = no button."""
    val = optional("BOT_SOUMU_CHANNEL")
    if val and not (val[0] in "CG" and val[1:].isalnum() and val.isascii()):
        raise ConfigError(f"環境変数 BOT_SOUMU_CHANNEL の値（{val}）が正しくありません。総務課のチャンネルの ID"
                          "（C または G で始まる値。チャンネル名を右クリック →「リンクをコピー」の末尾）を指定してください。")
    return val


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    app_token: str = ""
    signing_secret: str = ""
    api_url: str = ""

    @property
    def web_api_url(self) -> str:
        """The Web API base URL in use: SLACK_API_URL, else Slack's."""
        return self.api_url or DEFAULT_API_URL

    @classmethod
    def from_env(cls, http: bool) -> SlackSettings:
        bot = require("SLACK_BOT_TOKEN", "xoxb-")
        api_url = optional("SLACK_API_URL")
        if api_url and not api_url.startswith(("http://", "https://")):
            raise ConfigError(f"環境変数 SLACK_API_URL の値（{api_url}）が正しくありません。http:// または https:// で始まる URL を指定してください（通常は設定不要です）。")
        if api_url and not api_url.endswith("/"):
            api_url += "/"
        if http:
            return cls(bot_token=bot, signing_secret=require("SLACK_SIGNING_SECRET"), api_url=api_url)
        return cls(bot_token=bot, app_token=require("SLACK_APP_TOKEN", "xapp-"), api_url=api_url)


# --- reliability (delivery worker, Web API, ack path) ------------------------------------------------


def _number(name: str, default: float, low: float, high: float, how: str, what: str) -> float:
    """A number setting within [low, high]; ``how``/``what`` word the errors (e.g. 秒数を…, 数)."""
    val = os.environ.get(name, "").strip()
    if not val:
        return default
    try:
        num = float(val)
    except ValueError:
        raise ConfigError(f"環境変数 {name} の値（{val}）が正しくありません。{how}") from None
    if not low <= num <= high:
        raise ConfigError(f"環境変数 {name} の値（{val}）が範囲外です。{low:g}〜{high:g} の{what}を指定してください。")
    return num


def _seconds(name: str, default: float, low: float = 0.0, high: float = 86400.0) -> float:
    return _number(name, default, low, high, "秒数を数字で指定してください。", "数")


@dataclass(frozen=True)
class DeliverySettings:
    """How Deliveries (messages owed to Slack) are retried. Tests use short values."""

    backoff_s: float = 2.0  # first retry after about this long, doubling each failure
    max_backoff_s: float = 30.0  # retries never wait longer (so a recovered Slack is reached within 60 s)
    poll_s: float = 1.0  # the worker looks for due Deliveries at least this often
    alert_after: int = 5  # failed attempts before 総務課 is told by direct message
    timeout_s: float = 30.0  # Web API read timeout (a slow Slack is waited for rather than retried blindly)
    ack_busy_s: float = 2.0  # the ack path waits at most this long for the database, then answers 5xx
    burst_limit: int = 5  # reports by one person within burst_window_s before they are grouped
    burst_window_s: float = 60.0

    @classmethod
    def from_env(cls) -> DeliverySettings:
        limit = _seconds("BOT_BURST_LIMIT", 5, 1, 100000)
        return cls(
            backoff_s=_seconds("BOT_DELIVERY_BACKOFF_S", 2.0, 0.01, 3600),
            max_backoff_s=_seconds("BOT_DELIVERY_MAX_BACKOFF_S", 30.0, 0.01, 3600),
            poll_s=_seconds("BOT_DELIVERY_POLL_S", 1.0, 0.01, 60),
            alert_after=int(_seconds("BOT_DELIVERY_ALERT_AFTER", 5, 1, 1000)),
            timeout_s=_seconds("BOT_SLACK_TIMEOUT_S", 30.0, 0.1, 600),
            ack_busy_s=_seconds("BOT_ACK_BUSY_S", 2.0, 0.01, 30),
            burst_limit=int(limit),
            burst_window_s=_seconds("BOT_BURST_WINDOW_S", 60.0, 1, 86400),
        )


def delivery() -> DeliverySettings:
    return DeliverySettings.from_env()


def crash_point() -> str:
    """BOT_CRASH_AT: fault injection for the reliability tests (the process kills itself at that point)."""
    return os.environ.get("BOT_CRASH_AT", "").strip()


def socket_ping_s() -> float:
    """BOT_SOCKET_PING_S: Socket Mode ping interval; a link silent for 4 intervals is reopened."""
    return _seconds("BOT_SOCKET_PING_S", 2.5, 0.2, 60)


# --- reminders (Report): office hours, how long an incident may wait ------------------------------------


@dataclass(frozen=True)
class ReminderSettings:
    """When reminders count and go out. Only office hours count: weekdays (not 祝日, not the town's closed
    days in knowledge/calendar.toml) between ``opens`` and ``closes`` JST."""

    opens: tuple[int, int] = (8, 30)  # JST hour, minute
    closes: tuple[int, int] = (17, 15)
    after_hours: float = 4.0  # office hours with no step done before an open incident is reminded
    poll_s: float = 60.0  # the reminder ticker looks this often

    @classmethod
    def from_env(cls) -> ReminderSettings:
        opens, closes = _office_hours(optional("BOT_OFFICE_HOURS", "08:30-17:15"))
        return cls(opens=opens, closes=closes,
                   after_hours=_hours("BOT_REMIND_AFTER_HOURS", 4.0),
                   poll_s=_seconds("BOT_REMIND_POLL_S", 60.0, 0.01, 3600))


def _office_hours(val: str) -> tuple[tuple[int, int], tuple[int, int]]:
    bad = ConfigError(f"環境変数 BOT_OFFICE_HOURS の値（{val}）が正しくありません。"
                      "開庁時間を「08:30-17:15」の形（日本時間、開始-終了）で指定してください。")
    start, sep, end = val.replace("〜", "-").replace("～", "-").partition("-")
    if not sep:
        raise bad
    try:
        parts = [tuple(int(x) for x in t.strip().split(":")) for t in (start, end)]
    except ValueError:
        raise bad from None
    if any(len(p) != 2 or not (0 <= p[0] <= 23 and 0 <= p[1] <= 59) for p in parts) or parts[0] >= parts[1]:
        raise bad
    return parts[0], parts[1]  # type: ignore[return-value]


def _hours(name: str, default: float) -> float:
    return _number(name, default, 0.01, 1000, "時間数を数字で指定してください（例: 4）。", "時間数")


def reminders() -> ReminderSettings:
    return ReminderSettings.from_env()
