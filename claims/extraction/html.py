"""HTML (bytes or str) to a ``Document``: clean body text, links with spans, metadata.

The body is what trafilatura finds (``content.py``), written out by the text builder
below; when trafilatura finds nothing, the class-name rules below choose it (the
fallback, ``legacy_document``). On the 121 real pages, also using the fallback when
trafilatura returns far less than it lost on both halves of the set, so it is not done.

The body text is built in one iterative pass over a tree (trafilatura's lxml body as
it comes, never serialised and parsed again; the fallback parses the page with
BeautifulSoup only when trafilatura finds nothing): boilerplate subtrees are skipped as they are met rather than
removed first, block elements turn into paragraph breaks, inline elements do not
break text, and each link's span is recorded against the final text as it is written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import unicodedata
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction
from lxml.etree import _Element

from .content import SPACE_MARK, main_content
from .document import Document, ExtractionError, Link, check_size
from .junk import ABOUT, DROP, LINK_ITEM, PageJunk, is_teaser
from .metadata import http_url

__all__ = ["decode_html", "html_to_document", "legacy_document", "normalize_inline"]

# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it shares its first bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive or office document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old office document"),
    (b"{\\rtf", "an RTF document"),
    (b"OggS", "an audio file"),
    (b"ID3", "an audio file"),
    (b"\x00\x00\x00", "a binary file"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:\-]+)""")

# Per WHATWG, labels for Latin-1 and ASCII mean windows-1252 in HTML.
_ENCODING_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-user-defined": "cp1252",
}

# Byte-level (one C pass; a regex over the text is ~10x slower on big pages):
# drop C0 controls XML refuses, vertical tab and form feed become spaces.
_XML_BYTES = bytes.maketrans(b"\x0b\x0c", b"  ")
_NOT_XML_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))

# C0 controls other than tab, newline, form feed and carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _normalize_encoding(name: str | None) -> str | None:
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _ENCODING_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _check_binary_prefix(data: bytes) -> None:
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ExtractionError(f"This file looks like {what}, not a web page.")


def _check_text(text: str) -> str:
    sample = text[:8192]
    if sample and len(_CONTROL_CHARS.findall(sample)) > max(8, len(sample) // 100):
        raise ExtractionError("This file is not readable text (it looks like binary data).")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.7 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.7 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_html(data: bytes, declared_encoding: str | None = None) -> str:
    """Decode page bytes to text.

    Order: byte-order mark, then the declared encoding (HTTP header), then
    ``<meta charset>`` / ``http-equiv`` / XML declaration, then UTF-8, then
    windows-1252. Raises ``ExtractionError`` for binary input.
    """
    if isinstance(data, str):
        return _check_text(data)
    data = bytes(data)
    if not data or data.isspace():  # (no .strip(): that copies the page)
        raise ExtractionError("no article text found")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError:
                raise ExtractionError(
                    "This file could not be decoded as text (bad byte-order mark)."
                ) from None
    _check_binary_prefix(data)

    declared = _normalize_encoding(declared_encoding)
    if declared:
        try:
            return _check_text(data.decode(declared))
        except UnicodeDecodeError:
            pass  # headers lie; fall through to what the document itself says

    if b"\x00" in data[:8192]:
        utf16 = _looks_like_utf16(data)
        if utf16:
            try:
                return _check_text(data.decode(utf16))
            except UnicodeDecodeError:
                pass
        raise ExtractionError("This file is not readable text (it looks like binary data).")

    head = data[:8192]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match:
        sniffed = _normalize_encoding(match.group(1).decode("ascii", "ignore"))
        # A document that says UTF-16 but has no NULs is really ASCII-compatible.
        if sniffed and not sniffed.startswith("utf-16") and not sniffed.startswith("utf-32"):
            try:
                return _check_text(data.decode(sniffed))
            except UnicodeDecodeError:
                pass
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; map those through Latin-1 instead of failing.
    return _check_text(data.decode("cp1252", errors="replace").replace("\ufffd", " "))


# ---------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------

_WS = re.compile(r"\s+")
# Zero-width characters and the soft hyphen vanish; they would split words.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_INVISIBLE[ord(SPACE_MARK)] = " "  # whitespace the page had (content.py)
# str.translate looks every character up in the table (~17 us for a paragraph);
# a search per mapped character is C speed, and none maps to another mapped one.
_INVISIBLE_PAIRS = tuple((chr(code), to or "") for code, to in _INVISIBLE.items())


def normalize_inline(text: str) -> str:
    """Collapse whitespace (NBSP included), drop zero-width chars, NFC; no strip."""
    if not text.isascii():  # (every character _INVISIBLE maps is outside ASCII)
        for char, to in _INVISIBLE_PAIRS:  # text.translate(_INVISIBLE), faster
            if char in text:
                text = text.replace(char, to)
        text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text)


# ---------------------------------------------------------------------------
# Boilerplate detection
# ---------------------------------------------------------------------------

_DROP_TAGS = frozenset(
    """script style noscript template svg math iframe frame frameset object embed
    canvas audio video nav header footer aside form button input select textarea
    option label dialog menu head title meta link base""".split()
)

# Never text, whatever the page looks like.
_ALWAYS_DROP = frozenset(
    "script style noscript template svg math iframe object embed canvas head title meta link base".split()
)

_BLOCK_TAGS = frozenset(
    """p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table thead tbody
    tfoot tr td th caption section article main figure figcaption address hr
    details summary center body html fieldset legend picture""".split()
)

_NEVER_DROP = frozenset({"html", "body", "article", "main"})
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())

_JUNK_ROLES = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "alertdialog",
        "menu",
        "menubar",
        "toolbar",
    }
)

# Distinctive tokens: junk wherever they appear in a class or id name.
_JUNK_TOKENS = frozenset(
    """cookie cookies cookiebanner consent gdpr advert adverts advertisement
    advertising adslot adunit dfp sponsored sponsor newsletter newsletters
    subscribe subscription signup paywall sharing sharebar socialshare social
    related recommended recommendations comments comment disqus outbrain taboola
    breadcrumb breadcrumbs sidebar popup modal navbar navigation masthead toolbar
    byline footer header copyright author authors credit credits caption captions
    trending onetrust""".split()
)
# Two-word names ("most-read", "read-more", "mostRead"): junk as adjacent tokens.
_JUNK_PAIRS = frozenset(
    {
        ("most", "read"),
        ("read", "more"),
        ("most", "popular"),
        ("most", "viewed"),
        ("more", "stories"),
    }
)
# Short or ambiguous tokens: junk only as the first or last token of a name.
_JUNK_EDGE_TOKENS = frozenset("ad ads nav menu share tags promo banner skip".split())
# "has-sidebar", "no-ads" describe the element, they do not name boilerplate.
_NEUTRAL_PREFIXES = frozenset("has with no is js not without".split())
_TOKEN_SPLIT = re.compile(r"[-_\s:]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

_junk_name_cache: dict[tuple[str, bool], bool] = {}


def _is_junk_name(name: str, in_header: bool = False) -> bool:
    """Whether a class or id names boilerplate; ``in_header``: an article's own
    <header>, where "header" itself ("article-header") is not junk."""
    key = (name, in_header)
    cached = _junk_name_cache.get(key)
    if cached is not None:
        return cached
    tokens = [t for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", name).lower()) if t]
    if in_header:
        tokens = [t for t in tokens if t != "header"]
    junk = False
    if tokens and tokens[0] not in _NEUTRAL_PREFIXES:
        if any(t in _JUNK_TOKENS for t in tokens):
            junk = True
        elif any(pair in _JUNK_PAIRS for pair in zip(tokens, tokens[1:])):
            junk = True
        elif tokens[0] in _JUNK_EDGE_TOKENS or tokens[-1] in _JUNK_EDGE_TOKENS:
            junk = True
    if len(_junk_name_cache) < 20000:
        _junk_name_cache[key] = junk
    return junk


def _inside_article(stack) -> bool:
    return any(tag.name == "article" for tag, _ in stack)


def _is_junk_tag(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    return _is_junk_attrs(tag.name, tag.attrs)


def _is_junk_attrs(name: str, attrs, in_header: bool = False) -> bool:
    """Whether an element's attributes (a BeautifulSoup ``attrs`` dict or an lxml
    ``attrib``) mark it as boilerplate."""
    if not attrs or name in _NEVER_DROP:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    role = attrs.get("role")
    if role and str(role).lower() in _JUNK_ROLES:
        return True
    style = attrs.get("style")
    if style and "none" in style and "display:none" in style.replace(" ", "").lower():
        return True
    classes = attrs.get("class")
    if classes:
        if isinstance(classes, str):
            classes = classes.split()
        for name in classes:
            if _is_junk_name(name, in_header):
                return True
    ident = attrs.get("id")
    if ident and isinstance(ident, str) and _is_junk_name(ident, in_header):
        return True
    return False


def _inside_junk(tag: Tag) -> bool:
    for parent in tag.parents:
        if isinstance(parent, Tag) and _is_junk_tag(parent):
            return True
    return False


# ---------------------------------------------------------------------------
# Body text: one pass
# ---------------------------------------------------------------------------

_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction, CData)


class _TextBuilder:
    """Writes normalised text and remembers link spans while walking the tree."""

    def __init__(self, junk: PageJunk | None = None) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.need_sep = ""  # paragraph separator owed before the next content
        self.pending_space = False
        self.links: list[list] = []  # [href, start, end]
        self.open_links: list[list] = []
        # The block being written starts here (parts index, text length, links index);
        # a block judged junk is cut back to it.
        self.junk = junk
        self.block = (0, 0, 0)
        self.teasers: list[tuple[int, int, int]] = []  # kept blocks that look like teasers
        self.about: tuple[int, int, int] | None = None  # an "About <Company>" box opens here
        self.link_items: tuple[int, int, int] | None = None  # a run of link-only items opens here
        self.link_run = 0  # how many items that run holds

    def block_break(self, sep: str = "\n\n", closing: str = "") -> None:
        # A link never spans a paragraph break: a block inside a link (or an
        # unclosed <a>) yields one link span per paragraph.
        for link in self.open_links:
            if link[1] is not None:
                if link[0] and self.length > link[1]:
                    self.links.append([link[0], link[1], self.length])
                link[1] = None
        if self.length > self.block[1]:
            self._end_block(closing in _HEADINGS, closing == "li")
        if self.length and len(sep) > len(self.need_sep):
            self.need_sep = sep
        self.pending_space = False

    def _end_block(self, heading: bool, item: bool = False) -> None:
        start_part, start, start_link = self.block
        if self.junk is not None:
            text = "".join(self.parts[start_part:]).strip()
            link_chars = sum(end - max(b, start) for _, b, end in self.links[start_link:])
            share = link_chars / len(text) if text else 0.0
            verdict = self.junk.judge(text, heading, share, item)
            if verdict == DROP:
                self._cut(self.block)
                return
            if verdict == LINK_ITEM:
                # One link alone in a list may be the article's; two in a row are a
                # list of other pages (related stories, tutorials, a menu): all go.
                self.link_run += 1
                if self.link_run == 1:
                    self.link_items = self.block
                else:
                    self._cut_back(self.link_items)
                    return
            else:
                self.link_run = 0
            if verdict == ABOUT:
                self.about = self.about or self.block
            elif heading:
                self.about = None
            if is_teaser(text, link_chars):
                self.teasers.append(self.block)
            else:
                self.teasers.clear()
        self.block = (len(self.parts), self.length, len(self.links))

    def _cut(self, block: tuple[int, int, int]) -> None:
        start_part, start, start_link = block
        del self.parts[start_part:]
        del self.links[start_link:]
        self.length = start
        self.need_sep = ""
        self.block = block

    def _cut_back(self, block: tuple[int, int, int]) -> None:
        """Cut the text back to ``block``, forgetting what was remembered after it."""
        self._cut(block)
        self.teasers = [kept for kept in self.teasers if kept[1] < block[1]]
        if self.about is not None and self.about[1] >= block[1]:
            self.about = None

    def finish(self) -> None:
        """End the last block; drop the teaser headlines the text ends with."""
        while self.open_links:
            self.close_link()
        self.block_break()
        ends = [block for block in (self.about, self.teasers[:1] and self.teasers[0]) if block]
        if ends:
            cut = min(ends, key=lambda block: block[1])
            if cut[1] > 0:
                self._cut(cut)
        self.teasers.clear()
        self.about = None

    def add(self, raw: str) -> None:
        if not raw:
            return
        if raw.isspace():
            self.pending_space = True
            return
        text = normalize_inline(raw)
        if not text.strip():
            self.pending_space = self.pending_space or bool(text)
            return
        # Zero-width characters vanish, so "\u200b" or " \u200b " may leave "" or " ".
        if text[:1] == " ":
            self.pending_space = True
            text = text.lstrip(" ")
        if not text:
            return
        trailing = text[-1] == " "
        if trailing:
            text = text.rstrip(" ")
        if self.length:
            if self.need_sep:
                self.parts.append(self.need_sep)
                self.length += len(self.need_sep)
            elif self.pending_space:
                self.parts.append(" ")
                self.length += 1
        self.need_sep = ""
        for link in self.open_links:
            if link[1] is None:
                link[1] = self.length
        self.parts.append(text)
        self.length += len(text)
        self.pending_space = trailing

    def open_link(self, href: str | None) -> None:
        self.open_links.append([href, None, None])

    def close_link(self) -> None:
        if not self.open_links:
            return
        link = self.open_links.pop()
        if link[0] and link[1] is not None and self.length > link[1]:
            link[2] = self.length
            self.links.append(link)

    def text(self) -> str:
        return "".join(self.parts)


def _clean_href(href) -> str | None:
    if not href or not isinstance(href, str):
        return None
    href = href.strip()
    lowered = href[:11].lower().replace(" ", "")
    if lowered.startswith(("javascript:", "mailto:", "data:", "vbscript:", "tel:")):
        return None
    return href


def _walk(root: Tag, builder: _TextBuilder, drop_junk: bool, take_headline: bool) -> str:
    """Write root's text into builder; return the first h1's text if taken as headline."""
    headline = ""
    stack: list[tuple[Tag, object]] = [(root, iter(root.contents))]
    while stack:
        tag, children = stack[-1]
        node = next(children, None)  # type: ignore[call-overload]
        if node is None:
            stack.pop()
            name = tag.name
            if name == "a":
                builder.close_link()
            elif name in _BLOCK_TAGS:
                builder.block_break(closing=name)
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, _SKIP_STRINGS):
                builder.add(node)
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name == "br":
            builder.block_break("\n")
            continue
        if drop_junk and _is_junk_tag(node):
            # An article's own <header> holds its headline and standfirst; keep it
            # unless its class or role names junk.
            if not (
                name == "header"
                and _inside_article(stack)
                and not _is_junk_attrs(name, node.attrs, True)
            ):
                continue
        if name in _ALWAYS_DROP:
            continue
        if name == "h1" and take_headline and not headline:
            headline = normalize_inline(node.get_text(" ")).strip()
            if headline:
                builder.block_break()
                continue
        if name == "a":
            builder.open_link(_clean_href(node.get("href")))
        elif name in _BLOCK_TAGS:
            builder.block_break()
        elif name in ("img", "wbr"):
            continue
        stack.append((node, iter(node.contents)))
    builder.finish()
    return headline


def _walk_tree(root: _Element, builder: _TextBuilder) -> str:
    """``_walk`` (junk dropped, headline taken) over an lxml tree: trafilatura's body.

    The same steps in the same order as ``_walk`` over a BeautifulSoup tree, where an
    element's ``text`` is its first string and its ``tail`` the string after it closes.
    Comments and processing instructions are skipped, their tails kept.
    """
    headline = ""
    stack: list[tuple[_Element | None, object]] = [(None, iter((root,)))]
    while stack:
        element, children = stack[-1]
        node = next(children, None)  # type: ignore[call-overload]
        if node is None:
            stack.pop()
            if element is not None:
                name = element.tag
                if name == "a":
                    builder.close_link()
                elif name in _BLOCK_TAGS:
                    builder.block_break(closing=name)
                if element.tail:
                    builder.add(element.tail)
            continue
        name = node.tag
        if not isinstance(name, str):  # a comment or processing instruction
            pass
        elif name == "br":
            builder.block_break("\n")
        elif (name in _DROP_TAGS or _is_junk_attrs(name, node.attrib)) and not (
            name == "header"
            and any(e is not None and e.tag == "article" for e, _ in stack)
            and not _is_junk_attrs(name, node.attrib, True)
        ):
            pass  # junk; an article's own <header> is kept unless its attributes name junk
        elif name in _ALWAYS_DROP or name in ("img", "wbr"):
            pass
        elif name == "h1" and not headline and (first_h1 := _headline(node)):
            headline = first_h1
            builder.block_break()
        else:
            if name == "a":
                builder.open_link(_clean_href(node.get("href")))
            elif name in _BLOCK_TAGS:
                builder.block_break()
            if node.text:
                builder.add(node.text)
            stack.append((node, iter(node)))
            continue
        if node.tail:
            builder.add(node.tail)
    builder.finish()
    return headline


def _headline(h1: _Element) -> str:
    return normalize_inline(" ".join(h1.itertext())).strip()


# ---------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "og:article:published_time",
)
_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " • ")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_TEXT_DATE_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_TEXT_DATE_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def _iso_date(value) -> str:
    if not value or not isinstance(value, str):
        return ""
    value = value.strip()
    candidates = []
    m = _ISO_DATE.search(value)
    if m:
        candidates.append((m.group(1), m.group(2), m.group(3)))
    m = _COMPACT_DATE.match(value)
    if m:
        candidates.append(m.groups())
    m = _TEXT_DATE_MDY.search(value)
    if m and m.group(1).lower() in _MONTHS:
        candidates.append((m.group(3), _MONTHS[m.group(1).lower()], m.group(2)))
    m = _TEXT_DATE_DMY.search(value)
    if m and m.group(2).lower() in _MONTHS:
        candidates.append((m.group(3), _MONTHS[m.group(2).lower()], m.group(1)))
    for y, mo, d in candidates:
        try:
            return dt.date(int(y), int(mo), int(d)).isoformat()
        except ValueError:
            continue
    return ""


def _find_in_jsonld(data, key: str, depth: int = 0):
    if depth > 6:
        return None
    if isinstance(data, dict):
        if key in data and isinstance(data[key], str):
            return data[key]
        for value in data.values():
            if isinstance(value, (dict, list)):
                found = _find_in_jsonld(value, key, depth + 1)
                if found:
                    return found
    elif isinstance(data, list):
        for item in data:
            found = _find_in_jsonld(item, key, depth + 1)
            if found:
                return found
    return None


def _clean_title(title: str, publisher: str, strict: bool) -> str:
    """Strip " | Site" style suffixes (and "Site | " prefixes naming the publisher)."""
    title = normalize_inline(title).strip()
    pub = publisher.strip().lower()
    changed = True
    while changed:
        changed = False
        for sep in _TITLE_SEPARATORS:
            if sep not in title:
                continue
            head, tail = title.rsplit(sep, 1)
            tail_l = tail.strip().lower()
            names_publisher = bool(pub) and (tail_l == pub or tail_l in pub or pub in tail_l)
            short_tail = len(tail.split()) <= 4 and len(tail) < len(head)
            if names_publisher or (not strict and short_tail):
                title = head.strip()
                changed = True
                break
            first, rest = title.split(sep, 1)
            if pub and first.strip().lower() == pub:
                title = rest.strip()
                changed = True
                break
    return title


class _Meta:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def add(self, key, content) -> None:
        if key and content and isinstance(key, str) and isinstance(content, str):
            self.values.setdefault(key.strip().lower(), content.strip())

    def get(self, *keys: str) -> str:
        for key in keys:
            value = self.values.get(key)
            if value:
                return value
        return ""


def _choose_root(articles: list[Tag], mains: list[Tag], role_mains: list[Tag], soup) -> Tag:
    best, best_len = None, 0
    for article in articles:
        if _inside_junk(article):
            continue
        length = len(article.get_text())
        if length > best_len:
            best, best_len = article, length
    if best is not None and best_len >= 140:
        return best
    for candidate in (*mains, *role_mains):
        if not _inside_junk(candidate) and candidate.get_text().strip():
            return candidate
    if best is not None and best_len:
        return best
    return soup.body or soup


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def _as_text(html: str | bytes) -> str:
    return _as_utf8(html).decode("utf-8")


def _as_utf8(html: str | bytes) -> bytes:
    """The page decoded, cleaned of what XML refuses, as UTF-8 (what lxml parses fastest)."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        html = decode_html(bytes(html))
    elif isinstance(html, str):
        html = _check_text(html)
        if html.lstrip()[:5] == "%PDF-":
            raise ExtractionError("This file looks like a PDF, not a web page.")
    else:
        raise ExtractionError("no article text found")
    if not html.strip():
        raise ExtractionError("no article text found")
    # lxml refuses characters XML does not allow (C0 controls, lone surrogates,
    # U+FFFE/FFFF); none of them is text. Vertical tab and form feed are spaces.
    data = html.encode("utf-8", "ignore")  # "ignore" drops lone surrogates
    data = data.translate(_XML_BYTES, _NOT_XML_BYTES)
    # U+FFFE and U+FFFF (in UTF-8 these bytes are never part of another character).
    if b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return data


def html_to_document(html: str | bytes, *, max_bytes: int | None = None) -> Document:
    """Parse a page into a ``Document`` (title, clean body text, links, metadata).

    The body is what trafilatura finds as the main content; when it finds none
    (a bare fragment, an unusual page), the class-name rules below choose it.
    ``max_bytes`` refuses bigger input with ``ArticleTooLarge`` before any parsing.
    """
    if max_bytes is not None:
        check_size(html, max_bytes)
    data = _as_utf8(html)
    content = main_content(data)
    document = None
    if content.body is not None:
        document = _body_document(content.body)
    if document is None:
        document = legacy_document(data.decode("utf-8"))
    meta = content.meta
    if meta.title:
        site = meta.publisher or urlsplit(meta.url).netloc.removeprefix("www.")
        document.title = _clean_title(meta.title, site, strict=True)
    document.publisher = meta.publisher or document.publisher
    document.published = meta.published or document.published
    document.url = meta.url or http_url(document.url)
    document.authors = meta.authors
    return document


def _body_document(root: _Element) -> Document | None:
    """Text and links of trafilatura's simplified body (<html><body>…), or None if empty."""
    builder = _TextBuilder(PageJunk())
    body = root.find("body")
    body = root if body is None else body
    blocks = [node for node in body if isinstance(node.tag, str)]
    if blocks and all(
        b.tag == "p" and not b.attrib and not any(isinstance(c.tag, str) for c in b) for b in blocks
    ):
        # trafilatura's baseline rescue: bare paragraphs of text whose blocks it joined
        # with "\n" (it keeps no markup there), so each line is a block of the page.
        headline = ""
        for block in blocks:
            for line in "".join(block.itertext()).split("\n"):
                builder.add(line)
                builder.block_break("\n")
            builder.block_break()
        builder.finish()
    else:
        headline = _walk_tree(root, builder)
    text = builder.text()
    if not text.strip():
        return None
    return Document(title=headline, text=text, links=_links(builder, text))


def _links(builder: _TextBuilder, text: str) -> list[Link]:
    return [
        Link(href=href, text=text[start:end], start=start, end=end)
        for href, start, end in sorted(builder.links, key=lambda link: (link[1], link[2]))
    ]


def legacy_document(html: str) -> Document:
    """The body chosen by class-name rules: the fallback when trafilatura finds none."""
    soup = BeautifulSoup(html, "lxml")

    meta = _Meta()
    articles: list[Tag] = []
    mains: list[Tag] = []
    role_mains: list[Tag] = []
    title_tag = ""
    canonical = ""
    time_values: list[str] = []
    jsonld_dates: list[str] = []
    for tag in soup.find_all(
        ["meta", "article", "main", "title", "link", "time", "script", "div", "section"]
    ):
        name = tag.name
        if name == "meta":
            content = tag.get("content")
            meta.add(tag.get("property"), content)
            meta.add(tag.get("name"), content)
            meta.add(tag.get("itemprop"), content)
        elif name == "div" or name == "section":
            if tag.get("role") == "main":
                role_mains.append(tag)
        elif name == "article":
            articles.append(tag)
        elif name == "main":
            mains.append(tag)
        elif name == "title":
            if not title_tag:
                title_tag = tag.get_text()
        elif name == "link":
            rel = tag.get("rel") or []
            if "canonical" in rel and not canonical:
                canonical = (tag.get("href") or "").strip()
        elif name == "time":
            value = tag.get("datetime")
            if value and (tag.get("itemprop") == "datePublished" or not time_values):
                time_values.insert(0, value) if tag.get("itemprop") else time_values.append(value)
        elif name == "script":
            if (tag.get("type") or "").lower() == "application/ld+json":
                try:
                    data = json.loads(tag.string or "")
                except (ValueError, TypeError):
                    continue
                found = _find_in_jsonld(data, "datePublished")
                if found:
                    jsonld_dates.append(found)
                if not meta.get("og:title"):
                    headline = _find_in_jsonld(data, "headline")
                    if headline:
                        meta.add("jsonld:headline", headline)

    root = _choose_root(articles, mains, role_mains, soup)
    builder = _TextBuilder(PageJunk())
    headline = _walk(root, builder, drop_junk=True, take_headline=True)
    text = builder.text()
    if not text.strip():
        # Boilerplate detection misfired on an unusual page: take everything readable.
        builder = _TextBuilder(PageJunk())
        headline = _walk(soup, builder, drop_junk=False, take_headline=True)
        text = builder.text()
    if not text.strip():
        raise ExtractionError("no article text found")

    links = _links(builder, text)

    publisher = normalize_inline(
        meta.get(
            "og:site_name", "application-name", "publisher", "article:publisher", "twitter:site"
        )
    ).strip()
    if publisher.startswith(("http://", "https://")):
        publisher = ""
    publisher = publisher.lstrip("@")

    title = ""
    if meta.get("og:title"):
        title = _clean_title(meta.get("og:title"), publisher, strict=True)
    if not title and meta.get("twitter:title"):
        title = _clean_title(meta.get("twitter:title"), publisher, strict=True)
    if not title and meta.get("jsonld:headline"):
        title = normalize_inline(meta.get("jsonld:headline")).strip()
    if not title and title_tag.strip():
        title = _clean_title(title_tag, publisher, strict=False)
    if not title and headline:
        title = headline

    published = ""
    for raw in (
        meta.get(*_PUBLISHED_META),
        *jsonld_dates,
        *time_values,
    ):
        published = _iso_date(raw)
        if published:
            break

    url = canonical or meta.get("og:url")
    return Document(
        title=title,
        text=text,
        links=links,
        publisher=publisher,
        published=published,
        url=url.strip(),
    )
