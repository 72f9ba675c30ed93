"""Links in a report: extraction from Slack-formatted or plain text, and normalization so that the same
post reported twice is recognised (scheme/host case, www/mobile hosts, twitter.com = x.com, trailing slash,
tracking parameters, fragments)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Slack wraps links as <https://x.com/a|label> or <https://x.com/a>; user/channel/special mentions as
# <@U…>, <#C…|name>, <!here>.
_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_OTHER = re.compile(r"<[@#!][^>]*>")
# Plain URLs: ASCII only, so Japanese text right after a URL is not swallowed.
_PLAIN = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]"

_HOST_ALIASES = {
    "twitter.com": "x.com",
    "mobile.twitter.com": "x.com",
    "mobile.x.com": "x.com",
    "fxtwitter.com": "x.com",
    "vxtwitter.com": "x.com",
    "m.facebook.com": "facebook.com",
    "mobile.facebook.com": "facebook.com",
    "fb.com": "facebook.com",
    "m.youtube.com": "youtube.com",
    "m.instagram.com": "instagram.com",
}
# Hosts whose paths are case-insensitive account names (x.com/Urausu_Town = x.com/urausu_town).
_CASELESS_PATH = {"x.com", "instagram.com", "facebook.com", "threads.net", "tiktok.com"}
_TRACKING = {
    "fbclid", "gclid", "dclid", "yclid", "msclkid", "igshid", "igsh", "mibextid", "si", "ref", "ref_src",
    "ref_url", "_ga", "_gl", "mc_cid", "mc_eid", "spm", "share_id", "feature", "rdt", "rdid", "sfnsn",
}
# Share parameters that only x.com adds (?s=20&t=…); elsewhere `s`/`t` may matter (e.g. YouTube time).
_TRACKING_BY_HOST = {"x.com": {"s", "t", "src", "cxt"}}


def extract(text: str) -> tuple[list[str], str]:
    """(urls as written, text with links replaced by their labels and Slack mentions removed)."""
    urls: list[str] = []

    def _link(m: re.Match) -> str:
        urls.append(html.unescape(m.group(1)))
        label = m.group(2) or ""
        return " " if not label or _PLAIN.fullmatch(label.strip()) else f" {label} "

    rest = _SLACK_LINK.sub(_link, text or "")
    rest = _SLACK_OTHER.sub(" ", rest)

    def _plain(m: re.Match) -> str:
        url = m.group(0)
        stripped = url.rstrip(_TRAILING)
        urls.append(html.unescape(stripped))
        return " " + url[len(stripped) :]

    rest = _PLAIN.sub(_plain, rest)
    return urls, html.unescape(rest)


def normalize(url: str) -> str:
    """A canonical form of ``url`` for duplicate detection, or "" when it is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    host = _HOST_ALIASES.get(host, host)
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "").rstrip("/")
    if host in _CASELESS_PATH:
        path = path.lower()
    drop = _TRACKING | _TRACKING_BY_HOST.get(host, set())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in drop
    ]
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def report_urls(text: str) -> tuple[list[str], str]:
    """(normalized unique URLs in order, text without links)."""
    raw, rest = extract(text)
    out: list[str] = []
    for u in raw:
        n = normalize(u)
        if n and n not in out:
            out.append(n)
    return out, rest
