"""Times and dates as people read them: JST, the way a town writes them (2026年12月2日 09:41, 令和8年12月2日).
The database keeps ISO 8601 UTC; everything shown to people goes through these."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9))
REIWA_START = date(2019, 5, 1)  # 令和元年5月1日


def to_jst(iso: str | datetime | None) -> datetime | None:
    """An ISO time (UTC when it carries no zone) or a datetime, in JST; None when empty or unreadable."""
    if not iso:
        return None
    if isinstance(iso, datetime):
        dt = iso
    else:
        try:
            dt = datetime.fromisoformat(str(iso))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(JST)


def jst_datetime(iso: str | datetime | None) -> str:
    """「2026年12月2日 09:41」 ("" when empty; an unreadable value is shown as it is)."""
    dt = to_jst(iso)
    if dt is None:
        return str(iso or "")
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"


def as_date(value: str | date | datetime | None) -> date | None:
    """A date from a date, a datetime (its JST day) or an ISO string (YYYY-MM-DD, or a time: its JST day)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return to_jst(value).date()
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    dt = to_jst(text)
    return dt.date() if dt else None


def seireki(value: str | date | datetime | None) -> str:
    """「2026年12月2日」."""
    d = as_date(value)
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def wareki(value: str | date | datetime | None) -> str:
    """「令和8年12月2日」 (令和元年 for 2019; dates before 令和 in 西暦)."""
    d = as_date(value)
    if d is None:
        return ""
    if d < REIWA_START:
        return seireki(d)
    year = d.year - 2018
    return f"令和{'元' if year == 1 else year}年{d.month}月{d.day}日"


def today_jst(now: datetime | None = None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(JST).date()


def age_days(iso: str | None, now: datetime | None = None) -> int:
    """Whole days since ``iso`` (calendar days in JST; 0 the same day)."""
    start = as_date(iso)
    return max(0, (today_jst(now) - start).days) if start else 0
