"""One rule for links we store, show or publish: absolute http(s) or nothing.

Pure Python, no Django models, so intake, templates, publishing and webhooks can
all apply the same rule: where a URL enters and again wherever one leaves.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")


def _is_http(url: str) -> bool:
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


def as_a_browser_reads_it(url: str) -> str:
    """``url`` as a browser follows it once it has been put into HTML by someone
    who did not escape it: character references decoded (a few rounds, for
    double encoding), then, as the WHATWG URL parser does, leading and trailing
    C0 controls and spaces stripped and every tab and newline removed."""
    for _ in range(3):
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))


def safe_http_url(url: str | None) -> str:
    """``url`` if it is an absolute http(s) address, else "".

    Anything with whitespace or control characters is refused outright:
    browsers drop tabs and newlines inside a scheme (``java\\tscript:``), and
    the address a browser would follow must be the one we checked. So must the
    address it would follow were the URL pasted into HTML unescaped by whoever
    uses our API or feeds: ``java&#x0a;script:`` is refused too.
    """
    url = (url or "").strip()
    if not _is_http(url) or not _is_http(as_a_browser_reads_it(url)):
        return ""
    return url


# A scheme, or a scheme-relative start (browsers read "\\" as "/" there).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|[/\\]{2}")


def safe_source(text: str | None) -> str:
    """A verdict's source as given (a URL or a note), or "" when a browser would
    read it as a link that is not http(s): ``javascript:``, ``data:`` and the
    like, however encoded. A note that starts "Word:" is refused too; the pages
    still show it, as text."""
    text = (text or "").strip()
    if safe_http_url(text) or not _SCHEME.match(as_a_browser_reads_it(text)):
        return text
    return ""


def safe_links(links) -> list[dict]:
    """An article's or a claim's links (``{"href", "text", …}``), each ``href``
    that is not http(s) emptied (the entry stays: its offsets still mark text)."""
    return [{**link, "href": safe_http_url(link.get("href"))} for link in links or []]


def without_unsafe_urls(data):
    """A copy of JSON-like ``data`` minus every ``"url"`` entry that is not http(s)."""
    if isinstance(data, dict):
        return {
            key: without_unsafe_urls(value)
            for key, value in data.items()
            if not (key == "url" and isinstance(value, str) and not safe_http_url(value))
        }
    if isinstance(data, list):
        return [without_unsafe_urls(item) for item in data]
    return data
