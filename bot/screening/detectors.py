"""One detector per kind of finding. Each takes the DraftText and the Knowledge and yields Hits: spans in
the normalized text with a category and, when the context decides it, a severity."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import phonenumbers

from bot.screening.matcher import Hit, masked, rule_catches, rule_hits
from bot.screening.matcher import near as _near
from bot.screening.normalize import EMAIL_RE, URL_RE, DraftText, trim_url
from bot.screening.rules import Knowledge, address_key

__all__ = ["DETECTORS", "Hit", "masked", "own_contact_spans", "own_contacts", "rule_catches", "rule_hits", "rules"]


def rules(doc: DraftText, kb: Knowledge, text: str) -> Iterator[Hit]:
    """Hits of every term/pattern rule in the (masked) normalized text."""
    for rule in kb.rules:
        yield from rule_hits(rule, doc, text)


# ---------------------------------------------------------------- phone numbers

# separators staff type between the groups: hyphens/dashes (normalized to "-"), spaces, brackets, and the
# middle dot or full stop (090・1234・5678, 090.1234.5678), which the phone library does not read: those
# are handed to it as "-" (same length, so offsets stay put)
_PHONE_CANDIDATE = re.compile(r"\(?\d[\d\-() .・]{7,16}\d")
_AS_HYPHEN = str.maketrans({"・": "-", ".": "-"})
_MOBILE = ("070", "080", "090")
_BUSINESS = ("0120", "0800", "0570")


def phones(doc: DraftText, kb: Knowledge) -> Iterator[Hit]:
    w = kb.words["phone"]
    for cand in _PHONE_CANDIDATE.finditer(doc.norm):
        lo = max(0, cand.start() - 2)
        chunk = doc.norm[lo : cand.end() + 1].translate(_AS_HYPHEN)
        for m in phonenumbers.PhoneNumberMatcher(chunk, "JP", leniency=phonenumbers.Leniency.VALID):
            start, end = lo + m.start, lo + m.end
            national = "0" + str(m.number.national_number)
            if national in kb.own_phones:
                continue
            before, after = doc.window(start, end, 20, 12)
            context = before + " " + after
            if national.startswith(_BUSINESS):  # toll-free / navi dial: always a business line (0800 is not 080)
                sev = "info"
            elif national.startswith(_MOBILE) or _near(w["personal"], context):
                sev = "block"
            elif _near(w["organisation"], doc.window(start, end, 40, 0, prev=True)[0]):
                sev = "info"
            else:
                sev = "warn"
            yield Hit("phone", start, end, sev)


# ---------------------------------------------------------------- e-mail

def _domain_allowed(host: str, kb: Knowledge) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in kb.allow_domains)


# Addresses written to dodge harvesters: taro(at)gmail.com, taro [at] gmail.com, taro あっと gmail.com,
# taro アットマーク gmail dot com. Found like any address, with the address they stand for.
_AT = r"\s*(?:\(at\)|\[at\]|<at>|\{at\}|\(あっと\)|\(アット\)|あっと(?:まーく)?|アット(?:マーク)?)\s*"
_DOT = r"(?:\.|\s*(?:\(dot\)|\[dot\])\s*|\s+dot\s+)"
_LOCAL = r"(?<![a-z0-9._%+\-])([a-z0-9][a-z0-9._%+\-]{0,63})"
_EMAIL_SPELLED = (
    re.compile(_LOCAL + _AT + r"([a-z0-9\-]{1,63}(?:" + _DOT + r"[a-z0-9\-]{1,63}){0,8}" + _DOT + r"[a-z]{2,24})(?![a-z0-9])"),
    # a plain word "at" only with "dot" too (taro at gmail dot com): "follow us at instagram.com" is a link
    re.compile(_LOCAL + r"\s+at\s+([a-z0-9\-]{1,63}(?:\s+dot\s+[a-z0-9\-]{1,63}){0,8}\s+dot\s+[a-z]{2,24})(?![a-z0-9])"),
)
_DOT_SPELLED = re.compile(_DOT)


def email_spans(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, address) of e-mail addresses in normalized text, spelled-out ones included."""
    if "@" in norm:
        for m in EMAIL_RE.finditer(norm):
            yield m.start(), m.end(), m.group(0)
    if "at" in norm or "あっと" in norm or "アット" in norm:
        for pattern in _EMAIL_SPELLED:
            for m in pattern.finditer(norm):
                yield m.start(), m.end(), m.group(1) + "@" + _DOT_SPELLED.sub(".", m.group(2))


def emails(doc: DraftText, kb: Knowledge) -> Iterator[Hit]:
    w = kb.words["email"]
    for start, end, addr in email_spans(doc.norm):
        domain = addr.rsplit("@", 1)[1]
        if addr in kb.own_emails or _domain_allowed(domain, kb):
            continue
        before, _ = doc.window(start, end, 20, 0)
        if w["personal_domains"] and w["personal_domains"].fullmatch(domain):
            sev = "block"
        elif _near(w["personal"], before):
            sev = "warn"  # 担当の田中（…@…）: a staff member's own address, even on an organisation's domain
        else:
            sev = "info" if _near(w["organisation"], before + addr) else "warn"
        yield Hit("email", start, end, sev)


# ---------------------------------------------------------------- addresses (番地, 丁目, postal code + address)

# Digit runs start only at the beginning of a run and are bounded, so long digit strings stay linear.
_ADDRESS = re.compile(
    r"(?:〒?\s*(?<![0-9])\d{3}-\d{4}\s*)?"
    r"[一-龥ァ-ヶー々]{0,20}"
    r"(?<![0-9])"
    r"(?:\d{1,3}条(?:[東西南北])?\d{1,3}丁目\d{0,4}(?:番地?|-)?\d{0,4}(?:号)?"
    r"|\d{1,3}丁目\d{1,4}(?:番地?|-)\d{1,4}(?:号)?"
    r"|\d{1,5}番地(?:の?\d{1,4})?"
    r"|\d{1,5}番\d{1,4}号"
    r"|(?<=[字町目])[一-龥ァ-ヶー]{0,8}\d{1,5}-\d{1,4}(?:-\d{1,4})?)"
)
_PLACE = re.compile(r"[一-龥ァ-ヶー々]{0,20}?(?:都|道|府|県|市|区|郡|町|村|字|条|丁目)")


def addresses(doc: DraftText, kb: Knowledge) -> Iterator[Hit]:
    w = kb.words["address"]
    text = doc.norm
    for m in _ADDRESS.finditer(text):
        start, end = m.start(), m.end()
        core = m.group(0)
        # a bare "45番地" needs a place before it; "3-10" alone is not an address
        if "番地" not in core and not _PLACE.search(core) and "〒" not in core:
            continue
        key = address_key(core, kb.strip_prefixes)
        if any(own == key or own.endswith(key) or key.endswith(own) for own in kb.own_addresses if key):
            continue
        before, after = doc.window(start, end, 25, 12)
        if _near(w["personal"], before + " " + after):
            sev = "block"
        elif _near(w["facility"], before + " " + after):
            sev = "info"
        else:
            sev = "warn"
        yield Hit("address", start, end, sev)


# ---------------------------------------------------------------- My Number (個人番号)

_TWELVE = re.compile(r"(?<![\d\-.,])(\d{4})[ \-]?(\d{4})[ \-]?(\d{4})(?![\d]|[\-.,]\d)")
_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def my_number_check_digit_ok(digits: str) -> bool:
    """The My Number check digit: 11 - (sum of digit*weight mod 11), 0 when the remainder is 0 or 1."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    r = sum(int(d) * w for d, w in zip(digits[:11], _WEIGHTS)) % 11
    return int(digits[11]) == (0 if r <= 1 else 11 - r)


def my_numbers(doc: DraftText, kb: Knowledge) -> Iterator[Hit]:
    w = kb.words["my_number"]
    for m in _TWELVE.finditer(doc.norm):
        digits = "".join(m.groups())
        before, _ = doc.window(m.start(), m.end(), 20, 0)
        if _near(w["labels"], before):
            yield Hit("my_number", m.start(), m.end(), "block")
        elif my_number_check_digit_ok(digits) and not _near(w["not_my_number"], before):
            yield Hit("my_number", m.start(), m.end(), "warn")


def _cue_sentences(doc: DraftText, cue: re.Pattern) -> Iterator[tuple[int, str]]:
    """(start, text) of each sentence of the normalized draft where ``cue`` occurs, once per sentence."""
    seen: set[int] = set()
    for m in cue.finditer(doc.norm):
        s, e = doc.sentence(m.start())
        if s not in seen:
            seen.add(s)
            yield s, doc.norm[s:e]


# ---------------------------------------------------------------- person names (Sudachi 人名 + 敬称)

# Placeholders staff write instead of a name (〇〇さん, Aさん, ××様) point at a real person just the same.
_PLACEHOLDER_NAME = re.compile(r"(?:[〇○◯●×△□]{1,4}|(?<![a-z0-9])[a-z])(?=さん|様|さま|氏|君|くん|ちゃん|殿)")


def person_names(doc: DraftText, kb: Knowledge) -> Iterator[Hit]:
    """Sudachi 人名 (or a placeholder like 〇〇) followed by an honorific; public roles are left alone."""
    w = kb.words["person_name"]
    honorific = w["honorifics"]
    if not honorific or not honorific.search(doc.norm):
        return
    from bot.text import tokenize

    def severity(sentence: str, honor: str, placeholder: bool) -> str | None:
        if _near(w["private_context"], sentence):
            return "block"  # 窓口に来た…, …にお住まい: a private matter even for a well-known person
        if _near(w["public_roles"], sentence):
            return None  # a lecturer, an award winner...: published with consent
        if placeholder:
            return "info"  # 〇〇さん alone: the writer already left the name out
        return "warn" if _near(w["private_honorifics"], honor) else "info"

    for s, sentence in _cue_sentences(doc, honorific):
        spans = []
        toks = tokenize(sentence)
        i = 0
        while i < len(toks):
            if not toks[i].is_person_name:
                i += 1
                continue
            j = i
            while j < len(toks) and toks[j].is_person_name:
                j += 1
            if j < len(toks) and honorific.fullmatch(toks[j].surface):
                spans.append((toks[i].begin, toks[j].end, toks[j].surface, False))
            i = j + 1
        for p in _PLACEHOLDER_NAME.finditer(sentence):
            h = honorific.match(sentence, p.end())
            if h and not any(a <= p.start() < b for a, b, _, _ in spans):
                spans.append((p.start(), h.end(), h.group(0), True))
        for a, b, honor, placeholder in spans:
            if a and sentence[a - 1] in "「『\"":
                continue  # 「ななちゃん」: a nickname or a character, not a person's name
            sev = severity(sentence, honor, placeholder)
            if sev:
                yield Hit("person_name", s + a, s + b, sev)


# ---------------------------------------------------------------- hearsay (らしい / 〜するそうだ / 〜したみたい)

_HEARSAY_CUE = re.compile("らしい|そう|みたい")


def hearsay(doc: DraftText, kb: Knowledge) -> Iterator[Hit]:
    """Hearsay auxiliaries found with Sudachi POS: らしい (助動詞, not 春らしい or 素晴らしい) unless it follows
    the weather (``forecast``: 雪らしい);
    そう after a plain-form predicate (伝聞, not おいしそう) and みたい only next to an incident word."""
    from bot.text import tokenize

    unless = kb.words["hearsay"]["unless"]
    incident = kb.words["hearsay"]["incident"]
    forecast = kb.words["hearsay"].get("forecast")
    forecast_end = re.compile(f"(?:{forecast.pattern})$") if forecast else None
    for s, sentence in _cue_sentences(doc, _HEARSAY_CUE):
        if _near(unless, sentence):
            continue
        toks = tokenize(sentence)
        for k, t in enumerate(toks):
            prev = toks[k - 1] if k else None
            if t.surface.startswith("らしい") and t.pos[0] == "助動詞":
                if forecast_end and forecast_end.search(sentence[: t.begin]):
                    continue  # 明日は雪らしい: the weather, not a rumour
            elif (
                t.surface in ("そう", "みたい") and t.pos[1] == "助動詞語幹" and prev is not None
                and prev.pos[0] in ("動詞", "助動詞", "形容詞") and prev.pos[5].startswith(("終止形", "連体形"))
                and _near(incident, sentence)
            ):
                pass
            else:
                continue
            yield Hit("rumour", s + (prev.begin if prev else t.begin), s + t.end)


# ---------------------------------------------------------------- links

_INTERNAL_HOST = re.compile(r"(^\d{1,3}(\.\d{1,3}){3}$)|\.(local|lan|intra|internal|corp)$|^localhost$")


def links(doc: DraftText, kb: Knowledge) -> Iterator[Hit]:
    w = kb.words["link"]
    for m in URL_RE.finditer(doc.norm):
        url = trim_url(m.group(0))
        if not url:
            continue
        start, end = m.start(), m.start() + len(url)
        full = url if url.startswith("http") else "http://" + url
        try:
            host = (urlsplit(full).hostname or "").lower()
        except ValueError:
            host = ""
        if not host:
            continue
        if _INTERNAL_HOST.search(host):
            yield Hit("security", start, end, "block")
            continue
        if _domain_allowed(host, kb):
            continue
        s, e = doc.sentence(start)
        ps = doc.sentence(s - 1)[0] if s > 0 else s  # "…はこちら。 https://…": the words before count too
        sentence = doc.norm[ps:start] + " " + doc.norm[end:e]
        if _near(w["unsuitable"], sentence) or _near(w["unsuitable"], url):
            yield Hit("link_unsuitable", start, end)
        elif _near(w["official"], doc.norm) and not _near(w["personal"], sentence):
            yield Hit("link_third_party", start, end, "info")  # the town's own account on a platform
        else:
            yield Hit("link_third_party", start, end)


def own_contacts(doc: DraftText, kb: Knowledge) -> list[int]:
    """Start offsets of the town's own published contacts (contacts.toml) in the draft."""
    return [s for s, _e in own_contact_spans(doc, kb)]


def own_contact_spans(doc: DraftText, kb: Knowledge) -> list[tuple[int, int]]:
    """Normalized spans of the town's own published contacts (contacts.toml) in the draft."""
    out = []
    for cand in _PHONE_CANDIDATE.finditer(doc.norm):
        if re.sub(r"\D", "", cand.group(0)) in kb.own_phones:
            out.append(cand.span())
    out.extend((s, e) for s, e, addr in email_spans(doc.norm) if addr in kb.own_emails)
    for m in _ADDRESS.finditer(doc.norm):
        key = address_key(m.group(0), kb.strip_prefixes)
        if key and any(own == key or own.endswith(key) or key.endswith(own) for own in kb.own_addresses):
            out.append(m.span())
    return out


DETECTORS = (phones, emails, addresses, my_numbers, person_names, hearsay, links)
