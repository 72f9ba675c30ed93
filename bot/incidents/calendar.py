"""Office hours of the town: weekdays between the opening and closing time (JST), except national holidays
(jpholiday) and the town's closed days (knowledge/calendar.toml). Reminders count only these hours."""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import jpholiday

from bot import config
from bot.knowledge.read import KnowledgeError

JST = timezone(timedelta(hours=9), "JST")
CALENDAR_FILE = "calendar.toml"
_DAY = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Calendar:
    opens: time = time(8, 30)
    closes: time = time(17, 15)
    yearly: frozenset[tuple[int, int]] = frozenset()  # (month, day) closed every year
    dates: frozenset[date] = frozenset()  # closed that year only

    def is_office_day(self, day: date) -> bool:
        return day.weekday() < 5 and not jpholiday.is_holiday(day) and (day.month, day.day) not in self.yearly \
            and day not in self.dates

    def is_open(self, when: datetime) -> bool:
        """True when ``when`` (aware) is inside office hours."""
        local = when.astimezone(JST)
        return self.is_office_day(local.date()) and self.opens <= local.time() < self.closes

    def office_hours_between(self, start: datetime, end: datetime) -> float:
        """Office hours (as a float) from ``start`` to ``end`` (aware datetimes)."""
        if end <= start:
            return 0.0
        a, b = start.astimezone(JST), end.astimezone(JST)
        total = 0.0
        day = a.date()
        while day <= b.date():
            if self.is_office_day(day):
                lo = max(a, datetime.combine(day, self.opens, JST))
                hi = min(b, datetime.combine(day, self.closes, JST))
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total / 3600

    def first_office_day_of_week(self, day: date) -> date | None:
        """The first office day of ``day``'s week (Monday, or later when Monday is a holiday); None if none."""
        monday = day - timedelta(days=day.weekday())
        for n in range(5):
            d = monday + timedelta(days=n)
            if self.is_office_day(d):
                return d
        return None


def parse(text: str, source: str = CALENDAR_FILE, settings: config.ReminderSettings | None = None) -> Calendar:
    from bot.knowledge.read import parse_toml

    settings = settings or config.reminders()
    data = parse_toml(text, source) if text.strip() else {}
    raw = data.get("closed", [])
    if not isinstance(raw, list):
        raise KnowledgeError(f"{source}: closed は日付の一覧（[\"12-29\", \"2027-08-16\"]）で指定してください。")
    yearly, dates = set(), set()
    for value in raw:
        m = _DAY.match(str(value).strip()) if isinstance(value, str) else None
        try:
            if m is None:
                raise ValueError
            year, month, day = (int(g) if g else None for g in m.groups())
            if year is None:
                date(2024, month, day)  # a leap year: 02-29 is a valid yearly day
                yearly.add((month, day))
            else:
                dates.add(date(year, month, day))
        except ValueError:
            raise KnowledgeError(f"{source} {_line_of(text, value)}行目: 閉庁日「{value}」を読めません。"
                                 "\"MM-DD\"（毎年）または \"YYYY-MM-DD\"（その年だけ）で書いてください。") from None
    return Calendar(time(*settings.opens), time(*settings.closes), frozenset(yearly), frozenset(dates))


def _line_of(text: str, value) -> int:
    needle = f'"{value}"' if isinstance(value, str) else str(value)
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line and not line.lstrip().startswith("#"):
            return n
    return 1


_lock = threading.Lock()
_cache: dict[tuple, Calendar] = {}


def current() -> Calendar:
    """The calendar from BOT_KNOWLEDGE/calendar.toml (re-read when it or the settings change); no file:
    weekends and national holidays only."""
    from bot.knowledge.read import read_text

    settings = config.reminders()
    path: Path = config.knowledge_dir() / CALENDAR_FILE
    try:
        st = os.stat(path)
        key: tuple = (str(path), st.st_mtime_ns, st.st_size, settings.opens, settings.closes)
    except FileNotFoundError:
        key = (str(path), None, None, settings.opens, settings.closes)
    hit = _cache.get(key)
    if hit is not None:
        return hit
    with _lock:
        text = read_text(path, CALENDAR_FILE, missing_ok=True, empty_ok=True) if key[1] is not None else ""
        cal = parse(text or "", CALENDAR_FILE, settings)
        _cache.clear()
        _cache[key] = cal
        return cal
