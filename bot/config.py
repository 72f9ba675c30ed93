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
        raise ConfigError(f"BOT_KNOWLEDGE: knowledge folder not found: {path}")
    return path


def require(name: str, prefix: str | None = None) -> str:
    """A required environment variable; ConfigError naming it when missing or malformed."""
    val = os.environ.get(name, "").strip()
    if not val:
        raise ConfigError(f"{name} is not set")
    if prefix and not val.startswith(prefix):
        raise ConfigError(f"{name} looks malformed (expected it to start with '{prefix}')")
    return val


def optional(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


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
            raise ConfigError("SLACK_API_URL must be an http(s) URL")
        if api_url and not api_url.endswith("/"):
            api_url += "/"
        if http:
            return cls(bot_token=bot, signing_secret=require("SLACK_SIGNING_SECRET"), api_url=api_url)
        return cls(bot_token=bot, app_token=require("SLACK_APP_TOKEN", "xapp-"), api_url=api_url)
