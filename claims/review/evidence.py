"""Which evidence documents the desk accepts, judged by their bytes, never their name.

An uploaded file is served back to editors, so a file a browser would run (HTML,
SVG, XML with script) must never be stored as evidence. Only a short list of
types is accepted, each recognised by its signature:

- PDF; PNG, JPEG, GIF and WebP images (SVG is refused: it is a script container);
- office documents: OOXML (docx, xlsx, pptx: a zip whose ``[Content_Types].xml``
  declares the main part), OpenDocument (a zip whose first entry ``mimetype``
  names the type) and the legacy OLE compound files (doc, xls, ppt);
- CSV and plain text: valid UTF-8 with no NUL byte and nothing a browser could
  take for markup (no ``<`` followed by a letter, ``!``, ``?`` or ``/``).

The name only chooses between ``text/csv`` and ``text/plain`` once the content
has proved to be safe text. Downloads are served as attachments in any case
(``claims.desk.views.claim.evidence_download``); this check is the first of two walls.

Hand-written rather than a sniffing library: the list is eight signatures, the
OOXML and OpenDocument checks need ``zipfile`` anyway (libraries guess them from
the first bytes of the zip), and no library judges "text a browser will not
sniff as HTML".
"""

from __future__ import annotations

import codecs
import re
import zipfile

from django.conf import settings

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024

PDF = "application/pdf"
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
OLE = "application/x-ole-storage"  # .doc, .xls, .ppt: one container format
CSV, TEXT = "text/csv", "text/plain"

ALLOWED_TYPES = frozenset(
    {PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, OLE, CSV, TEXT}
)

# For the file picker only (a hint to the browser); the check is on the bytes.
ACCEPT = frozenset(
    {
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".doc",
        ".xls",
        ".ppt",
        ".csv",
        ".txt",
    }
)

# The extensions of each type, its usual one first: a download is named by what
# its bytes are, never by what the uploader called it.
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    GIF: (".gif",),
    WEBP: (".webp",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    ODT: (".odt",),
    ODS: (".ods",),
    ODP: (".odp",),
    OLE: (".doc", ".xls", ".ppt"),
    CSV: (".csv",),
    TEXT: (".txt",),
}


def download_name(name: str, content_type: str) -> str:
    """``name`` ending in an extension of ``content_type``: kept when it already
    does, else replaced (``evil.html`` holding a PDF → ``evil.pdf``); a type we
    do not know ends in ``.bin``."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extensions = EXTENSIONS.get(content_type, (".bin",))
    if dot and "." + extension.lower() in extensions:
        return name
    return (stem or "evidence") + extensions[0]


ALLOWED_DESCRIPTION = (
    "PDF, PNG, JPEG, GIF or WebP images, Word, Excel, PowerPoint or "
    "OpenDocument files, CSV or plain UTF-8 text"
)

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.ms-word.document.macroenabled.main+xml": None,  # macros: refused
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_ODF = {ODT, ODS, ODP}
# Anything a browser could sniff or parse as HTML, SVG or XML starts with one of these.
_MARKUP = re.compile(r"<[A-Za-z!?/]")


class RefusedDocument(ValueError):
    """The document is not one of the accepted types. The message is fit to show."""


def max_bytes() -> int:
    return getattr(settings, "MAX_EVIDENCE_BYTES", DEFAULT_MAX_BYTES)


def check_document(upload) -> str:
    """The content type of ``upload`` (a Django File), or RefusedDocument.

    Reads the file in chunks (text is checked to the end) and rewinds it.
    """
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise RefusedDocument(
            f"The document is too large ({size:,} bytes; the limit is {limit:,})."
        )
    if not size:
        raise RefusedDocument("The document is empty.")
    try:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        content_type = _binary_type(head, upload)
        if content_type is None:
            content_type = _text_type(upload, getattr(upload, "name", "") or "")
    finally:
        upload.seek(0)
    if content_type not in ALLOWED_TYPES:
        raise RefusedDocument(_refusal())
    return content_type


def _refusal() -> str:
    return (
        "This kind of file cannot be attached as evidence. Accepted: "
        f"{ALLOWED_DESCRIPTION}. HTML, SVG and other web pages are refused; "
        "link to them with a URL instead."
    )


def _binary_type(head: bytes, upload) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload) or ""  # a zip that is not an office document: refused
    return None


def _zip_type(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _ODF else None
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > 1024 * 1024:
                    return None
                types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
                for main, content_type in _OOXML_MAIN.items():
                    if f'contenttype="{main}"' in types:
                        return content_type
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return None
    return None


def _text_type(upload, name: str) -> str | None:
    """text/csv or text/plain if the whole file is UTF-8 text with no markup."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    tail = ""
    while True:
        chunk = upload.read(CHUNK)
        final = not chunk
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            return None
        window = tail + text
        if "\x00" in text or _MARKUP.search(window):
            return None
        tail = window[-1:]
        if final:
            break
    return CSV if name.lower().endswith(".csv") else TEXT
