"""People by display name: a cache of Slack profiles in the ``people`` table, refreshed when older than a
day. The core takes a ``Names`` function (user id → name) so that the CLI works without Slack: it reads the
cache, then the directory's ``[names]``, then shows the id. The Slack layer (bot/slack/people.py) fills the
cache from ``users.info``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bot import store

Names = Callable[[str], str]
FRESH_FOR = timedelta(days=1)


@store.migration
def _tables(db) -> None:
    db["people"].create(
        {"user": str, "display_name": str, "real_name": str, "fetched": str},
        pk="user",
        defaults={"display_name": "", "real_name": ""},
        if_not_exists=True,
    )


@dataclass(frozen=True)
class Person:
    user: str
    display_name: str
    real_name: str
    fetched: str  # ISO UTC

    @property
    def name(self) -> str:
        """profile.display_name, else real_name, else the id."""
        return self.display_name or self.real_name or self.user

    def stale(self, now: datetime | None = None) -> bool:
        try:
            at = datetime.fromisoformat(self.fetched)
        except ValueError:
            return True
        return (now or datetime.now(timezone.utc)) - at > FRESH_FOR


def cached(user: str, db=None) -> Person | None:
    rows = list((db or store.db()).query("select * from people where user = ?", [user]))
    if not rows:
        return None
    r = rows[0]
    return Person(r["user"], r["display_name"] or "", r["real_name"] or "", r["fetched"] or "")


def remember(user: str, display_name: str, real_name: str, db=None, now: datetime | None = None) -> Person:
    at = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    person = Person(user, (display_name or "").strip(), (real_name or "").strip(), at)
    (db or store.db()).execute(
        "insert into people (user, display_name, real_name, fetched) values (?, ?, ?, ?) "
        "on conflict(user) do update set display_name = excluded.display_name, real_name = excluded.real_name, "
        "fetched = excluded.fetched",
        [person.user, person.display_name, person.real_name, person.fetched],
    )
    return person


def directory_name(user: str) -> str:
    """The name the directory file gives (``[names]``), or ""."""
    from bot.incidents import directory

    try:
        d = directory.current()
    except Exception:  # noqa: BLE001 - a broken directory never stops a name from being shown
        return ""
    return d.name_of(user) if d is not None else ""


def offline_names() -> Names:
    """Names without Slack: the cache (even when old), then the directory's names, then the id."""
    memo: dict[str, str] = {}

    def name(user: str) -> str:
        if not user:
            return ""
        if user not in memo:
            person = cached(user)
            memo[user] = (person.name if person and person.name != user else "") or directory_name(user) or user
        return memo[user]

    return name
