"""Social media platforms an impersonating account may be on (the takedown form's choices) and how an
account name and platform are read from a reported URL."""

from __future__ import annotations

from urllib.parse import urlsplit

# (id, label shown to people, hosts). The last one is 「その他」.
PLATFORMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("x", "X（旧Twitter）", ("x.com", "twitter.com")),
    ("instagram", "Instagram", ("instagram.com",)),
    ("facebook", "Facebook", ("facebook.com", "fb.com")),
    ("line", "LINE", ("line.me",)),
    ("tiktok", "TikTok", ("tiktok.com",)),
    ("youtube", "YouTube", ("youtube.com", "youtu.be")),
    ("other", "その他", ()),
)
OTHER = "other"
_AT_NAMES = {"x", "instagram", "tiktok", "youtube"}  # platforms whose account names are written @name
_NOT_ACCOUNTS = {"i", "home", "search", "explore", "hashtag", "share", "watch", "channel", "c", "user", "p", "reel",
                 "status", "intent", "profile.php", "people", "groups", "ti", "r"}


def label(platform_id: str) -> str:
    return next((lbl for pid, lbl, _ in PLATFORMS if pid == platform_id), platform_id or "")


def ids() -> tuple[str, ...]:
    return tuple(p for p, _, _ in PLATFORMS)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def platform_of(url: str) -> str:
    """The platform id of a URL's host, ``other`` when unknown, "" without a URL."""
    if not url:
        return ""
    host = _host(url)
    for pid, _, hosts in PLATFORMS:
        if any(host == h or host.endswith("." + h) for h in hosts):
            return pid
    return OTHER


def account_of(url: str) -> str:
    """The account name a URL points to (「@urausu_fake」), or "" when the URL does not show one."""
    pid = platform_of(url)
    if pid in ("", OTHER, "line"):
        return ""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if not parts:
        return ""
    name = parts[0].lstrip("@")
    if not name or name.lower() in _NOT_ACCOUNTS:
        return ""
    return f"@{name}" if pid in _AT_NAMES else name
