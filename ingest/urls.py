"""URLs of articles: recognising them, one canonical form, and the article id derived from it.

Usage: ``canonical("https://Example.org/a?utm_source=x#top") == "https://example.org/a"``;
``web_id(url)`` is the same for every URL of one page (tracking parameters, fragments, case of
the host, a trailing slash), so one story is one article.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rag.core.errors import InputError

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
TRACKING_PREFIXES = ("utm_", "mc_", "at_", "pk_", "_hs")
TRACKING_KEYS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "ocid",
        "cmpid",
        "ref",
        "ref_src",
        "smid",
        "sr_share",
        "share",
        "_ga",
        "spm",
        "guccounter",
        "cid",
        "rss",
        "taid",
        "xtor",
    }
)


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def web_addresses(text: str) -> list[str]:
    """The http(s) URLs in untrusted text (one per line or space); InputError naming the first
    entry that is not one. No file is looked at, so a path gets the same refusal whether it
    exists or not (the chat's URL box: a chat user may not read the server's files)."""
    entries = [e.strip() for e in (text or "").split() if e.strip()]
    for entry in entries:
        if not re.match(r"^https?://[^/\s]+", entry, re.IGNORECASE):
            raise InputError(
                f"{entry[:80]}: not a web address; only http:// and https:// URLs can be added "
                "here (add files with the upload control)"
            )
    return entries


def canonical(url: str) -> str:
    """Normalised URL (courlan: host lower-cased, default port and fragment dropped, query
    parameters sorted) without tracking parameters (utm_*, fbclid, gclid ...)."""
    from courlan import normalize_url

    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    cleaned = urlunsplit(parts._replace(query=urlencode(query), fragment=""))
    try:
        return normalize_url(cleaned, trailing_slash=False).split("#", 1)[0]
    except ValueError:
        return cleaned


def _tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith(TRACKING_PREFIXES) or key in TRACKING_KEYS


def web_id(url: str) -> str:
    """The article id of the page at ``url``: ``web-`` and a hash of its canonical URL."""
    return "web-" + hashlib.sha256(canonical(url).encode()).hexdigest()[:16]
