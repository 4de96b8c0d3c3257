"""One rule for links we store, show or publish: absolute http(s) or nothing.

Pure Python, no Django models, so intake, templates, publishing and webhooks can
all apply the same rule: where a URL enters and again wherever one leaves.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")


def safe_http_url(url: str | None) -> str:
    """``url`` if it is an absolute http(s) address, else "".

    Anything with whitespace or control characters is refused outright:
    browsers drop tabs and newlines inside a scheme (``java\\tscript:``), and
    the address a browser would follow must be the one we checked.
    """
    url = (url or "").strip()
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return ""
    return url


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
