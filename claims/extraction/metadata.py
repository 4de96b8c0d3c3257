"""Page metadata from its head: meta tags, OpenGraph and JSON-LD (trafilatura), date by htmldate.

We call trafilatura's metadata steps one by one instead of ``extract_metadata``:
that also searches the page markup for author names (about 15 ms a page, as long
as the rest of the metadata and the date together) and collects categories, tags
and licences we do not use. Authors therefore come from meta tags and JSON-LD only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)

__all__ = ["Metadata", "http_url", "page_metadata"]

_MAX_FIELD = 500


@dataclass
class Metadata:
    title: str = ""
    publisher: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""  # "YYYY-MM-DD" or ""
    url: str = ""  # http(s) only


def http_url(value) -> str:
    """``value`` if it is an absolute http(s) URL, else "" (never javascript:, data:…)."""
    if not value or not isinstance(value, str):
        return ""
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 for c in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return value


def _clean(value) -> str:
    if not value or not isinstance(value, str):
        return ""
    return " ".join(value.split())[:_MAX_FIELD]


def _split_authors(value) -> list[str]:
    names: list[str] = []
    for name in _clean(value).split(";"):
        name = name.strip()
        if name and name not in names and not http_url(name):
            names.append(name)
    return names[:20]


def page_metadata(tree: HtmlElement) -> Metadata:
    """Metadata of a parsed page; never raises on odd markup (a missing field is "")."""
    try:
        meta = examine_meta(tree)
    except Exception:  # third-party parsing of arbitrary markup: a bug there costs metadata only
        return Metadata()
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # trafilatura itself guards this call the same way
        pass
    if meta.author and " " not in meta.author:  # a handle or a single word, as trafilatura
        meta.author = None
    try:
        title = meta.title or extract_title(tree)
        url = meta.url or extract_url(tree)
        sitename = meta.sitename or extract_sitename(tree)
    except Exception:  # as above: odd markup costs the missing fields only
        title, url, sitename = meta.title, meta.url, meta.sitename
    if sitename:
        sitename = sitename.lstrip("@")
    try:
        date = find_date(
            tree, extensive_search=False, original_date=True, url=http_url(url) or None
        )
    except Exception:  # htmldate on broken dates
        date = None
    return Metadata(
        title=_clean(title),
        publisher="" if http_url(sitename) else _clean(sitename),
        authors=_split_authors(meta.author),
        published=date if date and len(date) == 10 else "",
        url=http_url(url),
    )
