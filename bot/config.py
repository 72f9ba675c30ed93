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


# Where an administrator finds each Slack value (README 「管理者向けセットアップ」).
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

    @classmethod
    def from_env(cls, http: bool) -> "SlackSettings":
        bot = require("SLACK_BOT_TOKEN", "xoxb-")
        api_url = optional("SLACK_API_URL")
        if api_url and not api_url.startswith(("http://", "https://")):
            raise ConfigError(f"環境変数 SLACK_API_URL の値（{api_url}）が正しくありません。http:// または https:// で始まる URL を指定してください（通常は設定不要です）。")
        if api_url and not api_url.endswith("/"):
            api_url += "/"
        if http:
            return cls(bot_token=bot, signing_secret=require("SLACK_SIGNING_SECRET"), api_url=api_url)
        return cls(bot_token=bot, app_token=require("SLACK_APP_TOKEN", "xapp-"), api_url=api_url)
